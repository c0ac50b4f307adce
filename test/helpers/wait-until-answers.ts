/**
 * A test server's start: polls until it answers; if it exits first or the deadline passes, it is
 * stopped and the error carries the end of its log (why PostgreSQL or Prometheus did not start).
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
}

export async function waitUntilAnswers(w: StartWatch): Promise<void> {
  const deadline = Date.now() + (w.timeoutMs ?? 60_000);
  for (;;) {
    if (w.child.exitCode !== null) {
      await w.stop();
      throw new Error(`${w.name} exited at start (code ${w.child.exitCode}):\n${w.log()}`);
    }
    if (await w.answers()) return;
    if (Date.now() > deadline) {
      await w.stop();
      throw new Error(`${w.name} ${w.notReady}:\n${w.log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
