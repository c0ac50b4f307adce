/**
 * A cutover that ended SUCCESS hands over to its monitoring, which may roll back hours later.
 * Whoever looks at the cutover must see that, not a green SUCCESS over a V1 that serves again.
 */
import type { Client } from '@temporalio/client';
import type { CutoverView } from '../domain/cutover-model';
import type { MonitoringView } from '../domain/monitoring-model';
import { ClosedRunError, readView } from './read-view';

export interface AfterSuccess {
  monitoringWorkflowId: string;
  /** the monitoring's status, or how its run ended when it left no view (TERMINATED…) */
  status: MonitoringView['status'] | 'UNKNOWN' | (string & {});
  /** when the monitoring's rollback started (the rollback workflow's start time) */
  rollbackAt?: string;
  rollbackStatus?: string;
  message: string;
}

/** Ended by someone, not by anything the monitoring decided (a run with no view of its own: how it closed). */
const ENDED_BY_HAND = ['CANCELLED', 'TERMINATED', 'CANCELED', 'TIMED_OUT'];
const LATER_STATES = ['ROLLING_BACK', 'ROLLED_BACK', 'FAILED', 'ESCALATED', ...ENDED_BY_HAND];

export async function afterSuccess(client: Client, view: CutoverView): Promise<AfterSuccess | undefined> {
  if (view.status !== 'SUCCESS' || !view.monitoringWorkflowId) return undefined;
  const id = view.monitoringWorkflowId;
  let monitoring: MonitoringView;
  try {
    monitoring = await readView<MonitoringView>(client, id);
  } catch (err) {
    if (err instanceof ClosedRunError && err.closed) {
      return { monitoringWorkflowId: id, status: err.closed.status, message: err.message };
    }
    return {
      monitoringWorkflowId: id,
      status: 'UNKNOWN',
      message: `monitoring ${id} did not answer: ${(err as Error).message}`,
    };
  }
  let rollbackAt: string | undefined;
  if (monitoring.rollback) {
    rollbackAt = await client.workflow
      .getHandle(monitoring.rollback.workflowId)
      .describe()
      .then(
        (d) => d.startTime.toISOString(),
        () => undefined,
      );
  }
  return {
    monitoringWorkflowId: id,
    status: monitoring.status,
    rollbackAt,
    rollbackStatus: monitoring.rollback?.status,
    message: monitoring.message,
  };
}

/** "SUCCESS, then ROLLED_BACK by its monitoring at …", or undefined while nothing happened after. */
export function afterSuccessLine(after: AfterSuccess | undefined): string | undefined {
  if (!after || !LATER_STATES.includes(after.status)) return undefined;
  if (ENDED_BY_HAND.includes(after.status)) {
    return `SUCCESS, then its monitoring (${after.monitoringWorkflowId}) ended ${after.status}: ${after.message}`;
  }
  const at = after.rollbackAt ? ` at ${after.rollbackAt}` : '';
  return `SUCCESS, then ${after.status} by its monitoring${at} (${after.monitoringWorkflowId}): ${after.message}`;
}
