import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TemporalFailure } from '@temporalio/workflow';

/** The message a person needs: the root cause's, not "Activity task failed". */
export function failureMessage(err: unknown): string {
  let e: unknown = err;
  while ((e instanceof ActivityFailure || e instanceof ChildWorkflowFailure) && e.cause) e = e.cause;
  if (e instanceof ApplicationFailure && e.type) return `${e.message} [${e.type}]`;
  if (e instanceof TemporalFailure || e instanceof Error) return e.message;
  return String(e);
}
