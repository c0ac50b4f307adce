/**
 * The Temporal activity this code runs in, if any: the same I/O code (HTTP, child processes)
 * runs inside activities and in plain scripts and unit tests, where there is none.
 */
import { Context } from '@temporalio/activity';

export function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity
  }
}

/** The activity's cancellation signal, or undefined outside an activity. */
export function cancellationSignal(): AbortSignal | undefined {
  return currentActivity()?.cancellationSignal;
}

/** The workflow this activity runs for (its id), or undefined outside an activity (tests, the CLI). */
export function runningWorkflowId(): string | undefined {
  return currentActivity()?.info.workflowExecution?.workflowId;
}
