/**
 * Heartbeat and cancellation that degrade to no-ops outside a Temporal activity, so the same
 * activity code runs in plain unit tests and scripts.
 */
import { Context } from '@temporalio/activity';

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity
  }
}

/** Record liveness (and progress details) for the worker; no-op outside an activity. */
export function heartbeat(details?: unknown): void {
  currentContext()?.heartbeat(details);
}

/** The activity's cancellation signal, or undefined outside an activity. */
export function cancellationSignal(): AbortSignal | undefined {
  return currentContext()?.cancellationSignal;
}
