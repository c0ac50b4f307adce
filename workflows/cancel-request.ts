/**
 * A cancel request (the UI's "Request Cancellation", `temporal workflow cancel`) is a stop the
 * workflow understands, not an end nobody records: the workflow body runs shielded from it and is
 * handed the request, with who sent it, why and when, to act on as it would on a signal (abort,
 * a recorded end, a note). Without this, a cancel ended a monitoring CANCELED at once: no report,
 * no notification, its status still MONITORING.
 */
import { CancellationScope, log, workflowInfo } from '@temporalio/workflow';
import type { CancelRequest } from '../domain/cancel-request';
import { act } from './activity-proxies';
import { failureMessage } from './failure-message';

/**
 * Call at the workflow's root: resolves once someone asks to cancel this run (never otherwise).
 * Who and why are in the run's WorkflowExecutionCancelRequested event, which workflow code cannot
 * see: an activity reads it (one history read, only when a cancel came).
 */
export function whenCancelRequested(): Promise<CancelRequest> {
  return CancellationScope.current().cancelRequested.catch(() => {
    const { workflowId, runId } = workflowInfo();
    // Shielded: the root scope is cancelled by now, and would cancel this read at once.
    return CancellationScope.nonCancellable(() =>
      act('quick', 'Who asked to cancel').readCancelRequest(workflowId, runId),
    ).catch((err: unknown) => {
      log.warn(`could not read who cancelled: ${failureMessage(err)}`);
      return { by: 'unknown', at: new Date().toISOString() };
    });
  });
}

/** Runs a workflow body that a cancel request does not interrupt; it is told of the request instead. */
export function cancelAware<T>(body: (cancelled: Promise<CancelRequest>) => Promise<T>): Promise<T> {
  const cancelled = whenCancelRequested();
  return CancellationScope.nonCancellable(() => body(cancelled));
}
