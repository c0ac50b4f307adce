/**
 * One monitoring run's state in one object: the plan and its timetable, the state carried across
 * continue-as-new, the view the status query returns, the decision points, and whether a stop was
 * asked for. The loop (monitoring.ts) and its endings (monitoring-endings.ts) read and change it
 * through these members only.
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import {
  initialState,
  unmeasuredMs,
  uptimePct,
  type MonitoringInput,
  type MonitoringState,
  type MonitoringStatus,
  type MonitoringView,
  type OpenDecision,
} from '../domain/monitoring-model';
import { timetable, type Timetable } from '../domain/monitoring-schedule';
import { chartLimits } from '../domain/monitoring-charts';
import type { Verdict } from '../domain/decision-matrix';
import { parseDuration } from '../domain/duration';
import { phaseKey, planKey, statusKey } from '../domain/search-attributes';
import type { CancelRequest } from '../domain/cancel-request';
import { ApprovalGates, type GateSpec } from './approval-gate';
import { DecisionPoints } from './monitoring-decisions';
import { renderMonitoringDetails } from './monitoring-details';
import { notifyBestEffort } from './notify-best-effort';

/** Set by the signal and cancel handlers, read by the loop after each step. */
export interface StopRequest {
  /** why the monitoring rolls back: a rollback signal, a verdict, a decision point */
  rollback?: string;
  cancel?: CancelRequest;
}

/** The view before the plan is loaded: a status query may come first. */
export function firstView(input: MonitoringInput, state: MonitoringState): MonitoringView {
  return {
    cutoverId: input.cutoverId,
    status: 'MONITORING',
    message: 'loading the plan',
    elapsedMs: state.elapsedMs,
    durationMs: 0,
    uptimePct: uptimePct(state),
    runs: state.runs,
    rows: state.rows,
    decisions: state.decisions,
    votes: state.votes,
    rejectedVotes: state.rejected,
    warnings: state.warnings,
  };
}

export const stateOf = (input: MonitoringInput): MonitoringState => input.state ?? initialState(Date.now());

type Point = LoadedPlan['plan']['monitoring']['decisionPoints'][number];

export class MonitoringRun {
  readonly plan: LoadedPlan['plan'];
  readonly table: Timetable;
  readonly gates: ApprovalGates;
  readonly points: DecisionPoints;
  /** the status last written to the search attributes */
  private upserted?: MonitoringStatus;

  constructor(
    readonly input: MonitoringInput,
    readonly loaded: LoadedPlan,
    readonly state: MonitoringState,
    readonly view: MonitoringView,
    readonly stop: StopRequest,
  ) {
    const { plan } = loaded;
    this.plan = plan;
    this.table = timetable(plan.monitoring);
    view.durationMs = this.table.durationMs;
    this.gates = new ApprovalGates(plan.approvals.approvers, '(monitoring)', true, state.votes, state.rejected);
    this.gates.useSignatures(plan.approvals);
    // After each vote: who is still missing, in status and details (no command from a handler).
    this.gates.onChange = () =>
      setCurrentDetails(
        renderMonitoringDetails(Object.assign(view, { message: this.gates.progress() ?? view.message })),
      );
    // The one command a vote handler issues: a stale signed vote's sender is waiting for no answer.
    this.gates.onStaleVote = (vote, signedAt) =>
      void this.notify(
        `stale-vote:${vote.role}:${vote.approver}:${signedAt}`,
        `${vote.approver}: your signed ${vote.decision} for ${vote.role} on the monitoring of ${input.cutoverId} ` +
          `was not counted: ${vote.reason}`,
        'warning',
      );
    if (state.openDecision) this.gates.open(this.specFor(state.openDecision.index));
    this.points = new DecisionPoints({
      state,
      gates: this.gates,
      specFor: (index) => this.specFor(index),
      notify: (key, text, severity) => this.notify(key, text, severity),
      lateAfterMs: this.table.sentinelMs,
    });
  }

  /** A stop was asked for: the loop ends after the step in hand. */
  get stopping(): boolean {
    return !!this.stop.rollback || !!this.stop.cancel;
  }

  /** Offset from the monitoring start (kept across continue-as-new) of workflow time now. */
  offsetNow(): number {
    return Date.now() - this.state.startMs;
  }

  specFor(index: number): GateSpec {
    const point = this.plan.monitoring.decisionPoints[index];
    return {
      id: point.label,
      roles: point.roles,
      timeoutMs: parseDuration(point.timeout),
      onTimeout: point.onTimeout === 'rollback' ? 'NO_GO' : 'GO',
      summary: point.label,
    };
  }

  /** The view's fields from the state, the status in the search attributes when it changed, the UI details. */
  refresh(status: MonitoringStatus = this.view.status, message = this.view.message): MonitoringView {
    const { state, view } = this;
    // A monitoring that ended (rolled back, completed) takes no votes: it never shows one as awaited.
    const active = status === 'MONITORING' || status === 'AWAITING_DECISION';
    const point = active && state.openDecision && this.plan.monitoring.decisionPoints[state.openDecision.index];
    Object.assign(view, {
      status,
      message,
      elapsedMs: state.elapsedMs,
      uptimePct: uptimePct(state),
      openDecision: point ? this.openDecisionView(point, state.openDecision!) : undefined,
      gaps: state.gaps ?? [],
      sentinelSamples: state.sentinelSamples ?? [],
      limits: chartLimits(this.plan.thresholds),
      unmeasuredMs: unmeasuredMs(state.gaps),
      probes: state.probes.total,
      traffic: state.traffic,
      lastValidation: state.lastValidation,
    });
    // The plan too, so `CutoverPlan="x" AND CutoverStatus="ROLLED_BACK"` finds a rollback after SUCCESS.
    // Only when the status changes: once a minute it was an event and a visibility write each
    // probe for nothing.
    if (this.upserted !== status) {
      upsertSearchAttributes([
        { key: statusKey, value: status },
        { key: phaseKey, value: 'monitoring' },
        { key: planKey, value: this.plan.name },
      ]);
      this.upserted = status;
    }
    setCurrentDetails(renderMonitoringDetails(view));
    return view;
  }

  private openDecisionView(point: Point, open: OpenDecision) {
    return {
      label: point.label,
      roles: point.roles,
      workflowId: workflowInfo().workflowId,
      deadlineAt: new Date(this.state.startMs + open.deadlineOffsetMs).toISOString(),
      windowMs: open.windowMs ?? parseDuration(point.timeout),
      onTimeout: point.onTimeout === 'rollback' ? 'rollback' : 'continue',
      noGo: 'roll back',
      signed: !!this.plan.approvals.requireSignatures,
      deadlineOffsetMs: open.deadlineOffsetMs,
      openedOffsetMs: open.openedOffsetMs,
    };
  }

  /** Each key is sent once per monitoring (across continue-as-new). */
  async notify(key: string, text: string, severity: 'info' | 'warning' | 'critical' = 'info'): Promise<void> {
    const { state, input } = this;
    if (state.notified.includes(key)) return;
    state.notified.push(key);
    await notifyBestEffort(this.loaded, {
      key: `${input.cutoverId}:monitoring:${key}`,
      text,
      severity,
      cutoverId: input.cutoverId,
    });
  }

  /** What a verdict of the decision matrix asks for: a rollback (the loop stops), the leads told, a warning kept. */
  async actOnVerdict(verdict: Verdict, label: string): Promise<void> {
    if (verdict.action === 'rollback') this.stop.rollback ??= `${label}: ${verdict.reasons.join('; ')}`;
    if (verdict.action === 'escalate')
      await this.notify(
        `escalate:${label}`,
        `${label}: ${verdict.reasons.join('; ')} — escalating to the ` + `leads (plan says escalate, not roll back)`,
        'critical',
      );
    const warnings = this.state.warnings;
    for (const reason of verdict.action === 'warn' ? verdict.reasons : []) {
      // One entry and one message per kind of warning (memory, latency…), kept at its latest value.
      const kind = reason.split(' ')[0];
      const entry = `${reason} (${label})`;
      const at = warnings.findIndex((w) => w.startsWith(`${kind} `));
      if (at >= 0) warnings[at] = entry;
      else warnings.push(entry);
      await this.notify(`warn:${kind}`, `WARN ${label}: ${reason}`, 'warning');
    }
  }
}
