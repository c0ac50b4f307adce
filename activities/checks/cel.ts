/**
 * Check rules in CEL (@marcbachmann/cel-js): a small, safe expression language, never eval.
 * Chosen over @bufbuild/cel (also tried): zero dependencies, parse limits against hostile plans,
 * caret-marked syntax errors a plan author can act on, ~100x faster per evaluation here, and
 * custom operators, which let `int * double` just work — CEL proper refuses mixed arithmetic,
 * and JSON cannot say whether 400 is an int or a double.
 */
import { Environment } from '@marcbachmann/cel-js';

const env = new Environment({
  unlistedVariablesAreDyn: true,
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 2_000, maxDepth: 50, maxListElements: 1_000, maxMapEntries: 1_000, maxCallArguments: 16 },
});
const ops: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};
for (const [op, f] of Object.entries(ops)) {
  env.registerOperator(`double ${op} int`, (a: number, b: bigint) => f(a, Number(b)));
  env.registerOperator(`int ${op} double`, (a: bigint, b: number) => f(Number(a), b));
}

type Compiled = (ctx: Record<string, unknown>) => unknown;
const cache = new Map<string, Compiled>();

function compile(expr: string): Compiled {
  let fn = cache.get(expr);
  if (!fn) {
    fn = env.parse(expr) as unknown as Compiled;
    if (cache.size > 500) cache.clear();
    cache.set(expr, fn);
  }
  return fn;
}

/** JSON → CEL: whole numbers become ints (so list indexes and sizes compare), the rest doubles. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

/** CEL → JSON, for showing a rule's value: ints back to numbers. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  return value;
}

export type RuleAnswer = { ok: true; value: unknown } | { ok: false; error: string };

/** Evaluates one expression over already converted variables (see toCel); never throws. */
export function evaluate(expr: string, vars: Record<string, unknown>): RuleAnswer {
  try {
    return { ok: true, value: fromCel(compile(expr)(vars)) };
  } catch (err) {
    return { ok: false, error: firstLines(err) };
  }
}

/** A rule must give true or false; anything else is an error in the plan, said as such. */
export function evaluateBool(
  expr: string,
  vars: Record<string, unknown>,
): { ok: true; value: boolean } | { ok: false; error: string } {
  const answer = evaluate(expr, vars);
  if (!answer.ok) return answer;
  if (typeof answer.value !== 'boolean')
    return {
      ok: false,
      error: `gives ${JSON.stringify(answer.value)}, not true or false: ` + `compare it, e.g. (${expr}) > 0`,
    };
  return { ok: true, value: answer.value };
}

/** The syntax problem of an expression, or undefined: for `cutover plan check`. */
export function celProblem(expr: string): string | undefined {
  try {
    compile(expr);
    return undefined;
  } catch (err) {
    return firstLines(err);
  }
}

function firstLines(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 3)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  // the parser quotes the source line: a hostile one-line rule must not come back whole in every status
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
