/**
 * Where a run's time goes, from its history: the time between each event and the one before it,
 * put down to what the later event ends (a workflow task waiting for a worker, the workflow code,
 * an activity waiting for a worker, an activity running, a timer, a child workflow). The parts add
 * up to the run's time in history; with activities in parallel, the one that finished last is
 * counted (the critical path), not each.
 */
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export const PARTS = [
  'workflow task: scheduled → started (waiting for a worker)',
  'workflow task: started → completed (workflow code)',
  'activity: scheduled → started (waiting for a worker)',
  'activity: started → closed (inside activities)',
  'timers',
  'child workflows',
  'server, between events',
] as const;
export type Part = (typeof PARTS)[number];

const ms = (t?: { seconds?: unknown; nanos?: number | null } | null) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

function partOf(e: HistoryEvent): Part {
  if (e.workflowTaskStartedEventAttributes) return PARTS[0];
  if (e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes) return PARTS[1];
  if (e.activityTaskStartedEventAttributes) return PARTS[2];
  if (
    e.activityTaskCompletedEventAttributes ||
    e.activityTaskFailedEventAttributes ||
    e.activityTaskTimedOutEventAttributes ||
    e.activityTaskCanceledEventAttributes
  )
    return PARTS[3];
  if (e.timerFiredEventAttributes) return PARTS[4];
  if (
    e.childWorkflowExecutionStartedEventAttributes ||
    e.childWorkflowExecutionCompletedEventAttributes ||
    e.childWorkflowExecutionFailedEventAttributes
  )
    return PARTS[5];
  return PARTS[6];
}

export interface Breakdown {
  ms: Record<Part, number>;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  timers: number;
  children: number;
  /** activity types in the order they were scheduled, with their count */
  activityTypes: Record<string, number>;
}

export function breakdown(events: HistoryEvent[]): Breakdown {
  const result: Breakdown = {
    ms: Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>,
    workflowTasks: 0,
    activities: 0,
    localActivities: 0,
    timers: 0,
    children: 0,
    activityTypes: {},
  };
  for (let i = 1; i < events.length; i++)
    result.ms[partOf(events[i])] += ms(events[i].eventTime) - ms(events[i - 1].eventTime);
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) result.workflowTasks++;
    if (e.timerStartedEventAttributes) result.timers++;
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) result.children++;
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') result.localActivities++;
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      result.activities++;
      const type = scheduled.activityType?.name ?? '?';
      result.activityTypes[type] = (result.activityTypes[type] ?? 0) + 1;
    }
  }
  return result;
}
