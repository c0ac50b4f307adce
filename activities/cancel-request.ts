/**
 * Who cancelled a workflow: its own WorkflowExecutionCancelRequested event, read through the
 * worker's client. Workflow code is told only that a cancel came, not by whom or why. A read:
 * safe to retry.
 */
import { Context } from '@temporalio/activity';
import type { CancelRequest } from '../domain/cancel-request';
import { eventTime, newestEvent } from '../infra/history-events';

export async function readCancelRequest(workflowId: string, runId: string): Promise<CancelRequest> {
  const found = await newestEvent(Context.current().client, { workflowId, runId }, (e) => {
    const a = e.workflowExecutionCancelRequestedEventAttributes;
    if (!a) return undefined;
    // A cancel from another workflow (a parent) names it instead of a client identity.
    const by =
      a.identity ||
      (a.externalWorkflowExecution?.workflowId ? `workflow ${a.externalWorkflowExecution.workflowId}` : 'unknown');
    return { by, reason: a.cause || undefined, at: eventTime(e) };
  });
  return found ?? { by: 'unknown (no cancel request in the history)', at: new Date().toISOString() };
}
