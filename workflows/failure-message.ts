import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  TemporalFailure,
  TimeoutFailure,
} from '@temporalio/workflow';

/** What a timeout most likely means, in words an on-call engineer can act on. */
const TIMEOUT_MEANING: Record<string, string> = {
  HEARTBEAT: 'the worker running this step stopped answering (crashed or lost its connection)',
  START_TO_CLOSE: 'the step did not finish within its time limit (it hung, or the worker running it was lost)',
  SCHEDULE_TO_START: 'no worker picked the step up in time (is a worker running and polling the task queue?)',
  SCHEDULE_TO_CLOSE: 'the step did not finish within its overall limit, retries included',
};

/** The message a person needs: the root cause's, not "Activity task failed". */
export function failureMessage(err: unknown): string {
  let e: unknown = err;
  let step: string | undefined;
  while ((e instanceof ActivityFailure || e instanceof ChildWorkflowFailure) && e.cause) {
    if (e instanceof ActivityFailure) step ??= e.activityType;
    e = e.cause;
  }
  if (e instanceof TimeoutFailure) {
    const meaning = (e.timeoutType && TIMEOUT_MEANING[e.timeoutType]) ?? e.message;
    return (
      `${step ? `${step}: ` : ''}${meaning} [` +
      `${(e.timeoutType ?? 'timeout').toLowerCase().replace(/_/g, '-')} timeout]`
    );
  }
  if (e instanceof ApplicationFailure && e.type) return `${e.message} [${e.type}]`;
  if (e instanceof TemporalFailure || e instanceof Error) return e.message;
  return String(e);
}
