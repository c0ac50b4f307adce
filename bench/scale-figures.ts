/**
 * Figures read from monitoring histories for bench/scale.ts: what the server recorded, not what the worker believes.
 */
import type { Client } from '@temporalio/client';

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t ? Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;

export function pct(xs: number[], p: number): string {
  if (!xs.length) return '–';
  const sorted = [...xs].sort((a, b) => a - b);
  return String(Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]));
}

/** Workflow-task schedule-to-start (scheduled → started events) and events per probe, within [t0, t1]. */
export async function historyFigures(client: Client, ids: string[], t0: number, t1: number) {
  const wftLatencies: number[] = [];
  let events = 0;
  let probes = 0;
  let intervalSum = 0;
  let intervals = 0;
  for (const id of ids) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const scheduled = new Map<string, number>();
    let lastFired = 0;
    for (const e of history.events ?? []) {
      const at = ms(e.eventTime);
      if (at < t0 || at > t1) continue;
      events++;
      if (e.workflowTaskScheduledEventAttributes) scheduled.set(String(e.eventId), at);
      const started = e.workflowTaskStartedEventAttributes;
      if (started && scheduled.has(String(started.scheduledEventId)))
        wftLatencies.push(at - scheduled.get(String(started.scheduledEventId))!);
      if (e.timerFiredEventAttributes) {
        probes++;
        if (lastFired) {
          intervalSum += at - lastFired;
          intervals++;
        }
        lastFired = at;
      }
    }
  }
  return {
    wftLatencies,
    eventsPerProbe: probes ? events / probes : 0,
    probeIntervalMs: intervals ? intervalSum / intervals : 0,
    sampled: ids.length,
  };
}
