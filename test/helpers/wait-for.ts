/**
 * The one way a test waits: polls `probe` until it returns something other than false/undefined,
 * and fails with what it waited for (and the last thing seen) when the deadline passes. The
 * deadline is a safety net against a hang, not a speed assertion: it is far above any normal run.
 * A probe that throws ends the wait with that error (e.g. the run ended, so it never will).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | false | undefined> | T | false | undefined,
  { timeoutMs = 120_000, everyMs = 150 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const got = await probe();
    if (got !== false && got !== undefined) return got;
    last = got;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}; last seen: ${String(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
