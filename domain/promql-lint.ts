/**
 * What can be told about a PromQL query without a server, so `cutover plan check` reports it
 * before a cutover runs: an empty query, an unknown or unclosed {{ variable }}, unbalanced
 * brackets, braces, parentheses or quotes, and a range selector whose duration PromQL rejects.
 * Pure (no I/O, no dependencies): the server remains the judge of everything else.
 */

/** The variables a prometheus check's query may use (filled per target by the provider). */
export const PROMQL_TEMPLATE_VARS = ['service', 'version', 'window'] as const;

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** PromQL durations: one or more number+unit pairs, largest first (1h30m); units ms s m h d w y. */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

export function promqlProblems(query: string): string[] {
  if (query.trim() === '')
    return ['the query is empty: write a PromQL expression, e.g. sum(rate(http_requests_total[5m]))'];
  const problems: string[] = [];
  for (const m of query.matchAll(TEMPLATE)) {
    if (!(PROMQL_TEMPLATE_VARS as readonly string[]).includes(m[1])) {
      problems.push(
        `unknown template variable {{ ${m[1]} }}: use ${PROMQL_TEMPLATE_VARS.map((v) => `{{ ${v} }}`).join(', ')}`,
      );
    }
  }
  // Fill the templates with values of the right shape, so "[{{ window }}]" reads as a duration.
  const filled = query.replace(TEMPLATE, (_, name: string) => (name === 'window' ? '5m' : 'x'));
  if (filled.includes('{{') || filled.includes('}}'))
    problems.push(
      'a "{{" or "}}" is not a complete template variable: write {{ ' + 'service }}, {{ version }} or {{ window }}',
    );
  problems.push(...structureProblems(filled.replace(/\{\{|\}\}/g, '  ')));
  return problems;
}

/** One pass over the text: strings (with escapes), comments, the bracket stack, range selectors. */
function structureProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const end = closingQuote(text, i);
      if (end === -1) {
        problems.push(`unclosed ${c} quote opened at character ${i + 1}: close the string`);
        return problems;
      }
      i = end;
      continue;
    }
    if (c in PAIRS) {
      stack.push({ char: c, at: i });
      continue;
    }
    if (c in CLOSERS) {
      const open = stack.pop();
      if (!open) {
        problems.push(`"${c}" at character ${i + 1} closes nothing: remove it or add its "${CLOSERS[c]}"`);
        return problems;
      }
      if (open.char !== CLOSERS[c]) {
        problems.push(
          `"${open.char}" opened at character ${open.at + 1} is closed by ` +
            `"${c}" at character ${i + 1}: expected "${PAIRS[open.char]}"`,
        );
        return problems;
      }
      if (c === ']') problems.push(...rangeProblems(text.slice(open.at + 1, i).trim()));
    }
  }
  for (const open of stack.reverse())
    problems.push(`"${open.char}" opened at character ${open.at + 1} is never ` + `closed: add "${PAIRS[open.char]}"`);
  return problems;
}

/** Index of the quote closing the string opened at `start`, or -1. Backticks have no escapes. */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let j = start + 1; j < text.length; j++) {
    if (quote !== '`' && text[j] === '\\') j++;
    else if (text[j] === quote) return j;
  }
  return -1;
}

/** `[5m]`, or a subquery `[1h:30s]` / `[1h:]`. */
function rangeProblems(inside: string): string[] {
  const parts = inside.split(':');
  const bad =
    parts.length > 2 ||
    !DURATION.test(parts[0].trim()) ||
    (parts.length === 2 && parts[1].trim() !== '' && !DURATION.test(parts[1].trim()));
  return bad
    ? [
        `range selector [${inside}] is not a duration: use a number and ` +
          `a unit (ms, s, m, h, d, w, y) such as [5m] or [1h:30s], or [{{ window }}]`,
      ]
    : [];
}
