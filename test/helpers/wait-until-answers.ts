/**
 * A test server's start: polls until it answers; if it exits first or the deadline passes, it is
 * stopped and the error carries the end of its log (why PostgreSQL or Prometheus did not start)
 * and the fix: a plain Error, which a jest worker reports as it is.
 */
import type { ChildProcess } from 'node:child_process';

export interface StartWatch {
  /** "PostgreSQL", "Prometheus" */
  name: string;
  child: ChildProcess;
  /** one attempt: true once it answers (never throws) */
  answers: () => Promise<boolean>;
  /** stops it and removes its folder */
  stop: () => Promise<void>;
  /** the end of its stderr, for the error */
  log: () => string;
  /** the error when the deadline passes, e.g. "not ready on 9090" */
  notReady: string;
  timeoutMs?: number;
  /** what to do about it, read from its log (default: what its log says) */
  fix?: (log: string) => string;
}

export async function waitUntilAnswers(w: StartWatch): Promise<void> {
  const deadline = Date.now() + (w.timeoutMs ?? 60_000);
  for (;;) {
    // no pid: it could not be executed at all (the 'error' its owner logs says why)
    if (w.child.pid === undefined || w.child.exitCode !== null) {
      await new Promise((r) => setImmediate(r)); // the spawn error is emitted on the next tick
      await w.stop();
      throw failure(w, `exited at start (code ${w.child.exitCode ?? 'none: not executed'})`);
    }
    if (await w.answers()) return;
    if (Date.now() > deadline) {
      await w.stop();
      throw failure(w, w.notReady);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function failure(w: StartWatch, what: string): Error {
  const log = w.log().trim();
  return new Error(`${w.name} ${what}; its log:\n${log || '(empty)'}\nfix: ${w.fix?.(log) ?? 'what its log says'}`);
}
