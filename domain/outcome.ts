/**
 * How each workflow type ends in Temporal's own terms. The UI's default list shows only the
 * execution status, so an outcome that is not the workflow's success ends the run FAILED with a
 * typed, non-retryable failure whose message leads with the outcome and whose details carry the
 * view (the same object a completed run returns). Every reader goes through `outcomeView`, so
 * `cutover status`, `watch`, the parent of a rollback and the tests read a view either way. Pure.
 */
export type WorkflowKind = 'Cutover' | 'Monitoring' | 'Rollback' | 'Validation';

/**
 * status → failure type; a status not listed (SUCCESS, COMPLETED, ROLLED_BACK of a rollback, PASS,
 * WARN…) completes.
 */
export const OUTCOME_FAILURES: Record<WorkflowKind, Record<string, string>> = {
  Cutover: {
    ABORTED: 'CutoverAborted',
    ROLLED_BACK: 'CutoverRolledBack',
    FAILED: 'CutoverFailed',
    CANCELLED: 'CutoverCancelled',
  },
  Monitoring: { ROLLED_BACK: 'MonitoringRolledBack', FAILED: 'MonitoringFailed', CANCELLED: 'MonitoringCancelled' },
  Rollback: { FAILED: 'RollbackFailed' },
  // FAIL: the service failed its validation; FAILED: nothing was validated (bad input, no plan)
  Validation: { FAIL: 'ValidationFail', FAILED: 'ValidationNotRun', CANCELLED: 'ValidationCancelled' },
};

const OUTCOME_TYPES = new Set(Object.values(OUTCOME_FAILURES).flatMap((m) => Object.values(m)));

export interface OutcomeEnd {
  type: string;
  message: string;
}

/** undefined: the run completes with the view; else the failure it ends with. */
export function outcomeEnd(
  kind: WorkflowKind,
  view: { status: string; message?: string; summary?: string },
): OutcomeEnd | undefined {
  const type = OUTCOME_FAILURES[kind][view.status];
  if (!type) return undefined;
  return { type, message: `${view.status}: ${view.message ?? view.summary ?? ''}`.slice(0, 2_000) };
}

/**
 * The view a run ended with, from the error its result (or a child's) threw: walks the causes
 * (WorkflowFailedError, ChildWorkflowFailure) to the typed outcome failure. undefined for any other error.
 */
export function outcomeView<T>(err: unknown): T | undefined {
  for (
    let e = err as { cause?: unknown; type?: unknown; details?: unknown } | undefined, depth = 0;
    e && depth < 10;
    e = e.cause as typeof e, depth++
  ) {
    if (
      typeof e.type === 'string' &&
      OUTCOME_TYPES.has(e.type) &&
      Array.isArray(e.details) &&
      e.details[0] &&
      typeof e.details[0] === 'object'
    )
      return e.details[0] as T;
  }
  return undefined;
}

/** For `handle.result().catch(viewOrThrow)`: the view of an outcome failure, any other error rethrown. */
export function viewOrThrow<T = never>(err: unknown): T {
  const view = outcomeView<T>(err);
  if (view === undefined) throw err;
  return view;
}
