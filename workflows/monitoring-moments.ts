/**
 * The monitoring loop's moments: what it waits for next (the timetable's next moment or the open
 * decision's deadline), and what runs when it wakes — what fell due, or, after an outage or a
 * long step, what is still owed (missed probes skipped and the time recorded as a gap).
 */
import { BUSY_WHY, GAP_WHY } from '../domain/monitoring-model';
import { catchUp, hourLabel, nextDue, type DueEvent } from '../domain/monitoring-schedule';
import type { MonitoringRun } from './monitoring-run';

/** What the loop waits for next: the timetable's next moment, or the open decision's deadline if sooner. */
export interface Moment {
  due?: DueEvent;
  /** offset waited for */
  target: number;
  /** probes go on until here while the leads decide past the end (the final sign-off) */
  probeUntil?: number;
  what: string;
}

export function nextMoment(run: MonitoringRun): Moment | undefined {
  const { plan, state, table } = run;
  const deadline = state.openDecision?.deadlineOffsetMs;
  const probeUntil = deadline !== undefined && deadline > table.durationMs ? deadline - 1 : undefined;
  const due = nextDue(table, state.elapsedMs, probeUntil);
  if (!due && deadline === undefined) return undefined;
  const target = Math.min(due?.at ?? Infinity, deadline ?? Infinity);
  const what =
    target === deadline
      ? `${run.specFor(state.openDecision!.index).id}: deadline`
      : due!.decision !== undefined
        ? plan.monitoring.decisionPoints[due!.decision].label
        : due!.kinds.includes('validation')
          ? `${hourLabel(target)} validation`
          : 'Sentinel probe';
  return { due, target, probeUntil, what };
}

/** When the wait ended, and whether the timer fired so late that the worker (or the server) was gone. */
export interface Wakeup {
  now: number;
  /** the last offset the workflow was seen running before the wait */
  aliveAt: number;
  outage: boolean;
}

/** What runs at this moment: what fell due, or, behind by more than a probe interval, what is owed. */
export interface Step {
  /** the moment the loop carries on after */
  at: number;
  validationAt?: number;
  /** why the validation runs late (a catch-up) */
  late?: string;
  sentinel: boolean;
  summaryAt?: number;
  decisions: { index: number; at: number }[];
}

export function whatRunsNow(run: MonitoringRun, next: Moment, { now, outage }: Wakeup): Step {
  const { state, table } = run;
  const due = next.due!;
  // Behind by more than a probe interval (an outage, or a long step such as a FAIL re-run):
  // the missed probes are skipped, not run in a burst that would count unmeasured time as up.
  if (now - due.at <= table.sentinelMs) {
    state.elapsedMs = due.at;
    return {
      at: due.at,
      validationAt: due.kinds.includes('validation') ? due.at : undefined,
      sentinel: due.kinds.includes('sentinel'),
      summaryAt: due.kinds.includes('summary') ? due.at : undefined,
      decisions: due.decision !== undefined ? [{ index: due.decision, at: due.at }] : [],
    };
  }
  const owed = catchUp(table, state.elapsedMs, now, next.probeUntil);
  // Behind without an outage seen (a step ran long: a FAIL re-run, an activity retried after its
  // worker died): nothing was probed meanwhile either, so that is a gap too.
  if (!outage && owed.skippedProbes + (owed.validationAt !== undefined ? 1 : 0) > 1) {
    (state.gaps ??= []).push({
      fromOffsetMs: due.at,
      toOffsetMs: now,
      from: new Date(state.startMs + due.at).toISOString(),
      to: new Date(state.startMs + now).toISOString(),
      why: BUSY_WHY,
    });
  }
  state.elapsedMs = owed.lastAt;
  return {
    at: owed.lastAt,
    validationAt: owed.validationAt,
    late: `ran late at ${hourLabel(now)}: ${outage ? GAP_WHY : 'the previous step ran long'}`,
    sentinel: false,
    summaryAt: owed.summaryAt,
    decisions: owed.decisions,
  };
}
