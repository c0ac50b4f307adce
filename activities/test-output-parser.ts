/**
 * Pass/fail counts from the summary lines of common test runners. Pure, so every format is
 * unit-tested without running anything. The last summary in the output wins (watch-mode
 * reruns and multi-project runs print the final totals last).
 */
export type TestRunner = 'jest' | 'node:test' | 'pytest' | 'plain';

export interface TestCounts {
  runner: TestRunner;
  passed: number;
  failed: number;
  skipped: number;
  total: number;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** "1 failed, 2 skipped, 28 passed" → { failed: 1, skipped: 2, passed: 28 } */
function countWords(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/(\d+) ([a-z]+)/g)) counts[m[2]!] = (counts[m[2]!] ?? 0) + Number(m[1]);
  return counts;
}

const lastMatch = (text: string, re: RegExp) => [...text.matchAll(re)].at(-1);

function jest(text: string): TestCounts | null {
  const m = lastMatch(text, /^Tests:\s+(.*\d+ total)\s*$/gm);
  if (!m) return null;
  const c = countWords(m[1]!);
  return {
    runner: 'jest',
    passed: c.passed ?? 0,
    failed: c.failed ?? 0,
    skipped: (c.skipped ?? 0) + (c.todo ?? 0),
    total: c.total ?? 0,
  };
}

/** TAP reporter prints "# pass 29", the spec reporter "ℹ pass 29". */
function nodeTest(text: string): TestCounts | null {
  const lines = [...text.matchAll(/^[#ℹ] (tests|pass|fail|cancelled|skipped|todo) (\d+)\s*$/gm)];
  if (!lines.some((m) => m[1] === 'pass') || !lines.some((m) => m[1] === 'fail')) return null;
  const c: Record<string, number> = {};
  for (const m of lines) c[m[1]!] = Number(m[2]); // later lines overwrite: last summary wins
  const failed = (c.fail ?? 0) + (c.cancelled ?? 0);
  const skipped = (c.skipped ?? 0) + (c.todo ?? 0);
  return { runner: 'node:test', passed: c.pass!, failed, skipped, total: c.tests ?? c.pass! + failed + skipped };
}

/** "===== 2 failed, 27 passed, 1 skipped in 1.23s =====" (errors count as failures). */
function pytest(text: string): TestCounts | null {
  const m = lastMatch(text, /^=+ (.*?) in [\d.]+s(?: \([^)]*\))? =+\s*$/gm);
  if (!m) return null;
  const c = countWords(m[1]!);
  const passed = (c.passed ?? 0) + (c.xpassed ?? 0);
  const failed = (c.failed ?? 0) + (c.error ?? 0) + (c.errors ?? 0);
  const skipped = (c.skipped ?? 0) + (c.xfailed ?? 0);
  if (m[1] !== 'no tests ran' && passed + failed + skipped === 0) return null;
  return { runner: 'pytest', passed, failed, skipped, total: passed + failed + skipped };
}

/** "29 passed, 0 failed" or "Results: 29 passed, 1 failed, 2 skipped". */
function plain(text: string): TestCounts | null {
  const m = lastMatch(text, /^\s*(?:[A-Za-z]+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gim);
  if (!m) return null;
  const [passed, failed, skipped] = [m[1], m[2], m[3]].map((n) => Number(n ?? 0)) as [number, number, number];
  return { runner: 'plain', passed, failed, skipped, total: passed + failed + skipped };
}

/** Counts from the first runner format found, or null when the output has no known summary. */
export function parseTestOutput(output: string): TestCounts | null {
  const text = output.replace(ANSI, '').replace(/\r\n?/g, '\n');
  for (const parse of [jest, nodeTest, pytest, plain]) {
    const counts = parse(text);
    if (counts) return counts;
  }
  return null;
}
