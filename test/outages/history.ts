/** Reading what a workflow did from its history: the evidence for "no burst" and "nothing ran twice". */
import type { WorkflowHandle } from '@temporalio/client';

const decode = (data: Uint8Array | null | undefined) => (data ? Buffer.from(data).toString('utf8') : '');

/** Event times (ms, server time) of the sentinel probes: local activities are recorded as markers. */
export async function sentinelMarkerTimes(handle: WorkflowHandle): Promise<number[]> {
  const history = await handle.fetchHistory();
  return history
    .events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .filter((e) =>
      (e.markerRecordedEventAttributes!.details?.data?.payloads ?? []).some((p) =>
        decode(p.data).includes('"sentinelProbe"'),
      ),
    )
    .map((e) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
}

/** How many times each activity type was scheduled, and with how many attempts at most. */
export async function activityCounts(handle: WorkflowHandle): Promise<Record<string, number>> {
  const history = await handle.fetchHistory();
  const counts: Record<string, number> = {};
  for (const e of history.events!) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
