/**
 * "waiting for host X": a step routed to a host agent that no agent has picked up (its machine
 * or agent is down). The status query cannot see that, the server can: a pending activity still
 * SCHEDULED, whose scheduled event names the task queue `cutover-host-X`.
 */
import type { WorkflowHandle } from '@temporalio/client';

const SCHEDULED = 1; // PENDING_ACTIVITY_STATE_SCHEDULED
const HOST_QUEUE = /^cutover-host-(.+)$/;

export async function hostWaitLines(handle: WorkflowHandle, now = Date.now()): Promise<string[]> {
  const { raw } = await handle.describe();
  const waiting = (raw.pendingActivities ?? []).filter((a) => a.state === SCHEDULED && !a.lastWorkerIdentity);
  if (!waiting.length) return [];
  const scheduled = new Map<string, { queue: string; summary: string }>();
  for (const e of (await handle.fetchHistory()).events ?? []) {
    const a = e.activityTaskScheduledEventAttributes;
    const summary = e.userMetadata?.summary?.data
      ? Buffer.from(e.userMetadata.summary.data).toString('utf8').replace(/^"|"$/g, '')
      : '';
    if (a?.activityId) scheduled.set(a.activityId, { queue: a.taskQueue?.name ?? '', summary });
  }
  return waiting.flatMap((a) => {
    const step = scheduled.get(a.activityId ?? '');
    const host = HOST_QUEUE.exec(step?.queue ?? '')?.[1];
    if (!host) return [];
    const since = a.scheduledTime?.seconds
      ? Math.round((now - Number(a.scheduledTime.seconds) * 1000) / 1000)
      : undefined;
    return [
      `  ⏳ waiting for host ${host}: ` +
        `${step!.summary || a.activityType?.name} not picked up` +
        `${since !== undefined ? ` for ${since} s` : ''} — is its agent ` +
        `running? (scripts/worker.sh --host ${host} on that machine)`,
    ];
  });
}
