/** What the final report says, computed from the monitoring view. Pure, so it is unit-testable. */
import { formatSpan } from '../../domain/duration';
import {
  type CheckpointRow,
  type DecisionRecord,
  type MonitoringView,
  type RouterReading,
  type SentinelSample,
  type UnmeasuredInterval,
} from '../../domain/monitoring-model';
import type { Decision, RecordedApproval } from '../../domain/cutover-model';

export interface Trend {
  firstHour?: number;
  lastHour?: number;
  changePct?: number;
}

/** One role of the final sign-off; approver/decision/at are absent while nobody has signed. */
export interface SignOff {
  role: string;
  approver?: string;
  decision?: Decision;
  at?: string;
}

export interface MonitoringReport {
  plan: string;
  cutoverId: string;
  status: MonitoringView['status'];
  message: string;
  monitoredFor: string;
  /** the plan's monitoring duration, and how long this run actually monitored */
  plannedMs: number;
  monitoredMs: number;
  /** healthy probes over probes that ran; null when nothing was measured ("no samples", not 100%) */
  uptimePct: number | null;
  /** sentinel probes and full validations that took a reading */
  samples?: number;
  /** time nobody measured (worker or server unreachable): uptime leaves it out */
  unmeasured: { totalMs: number; gaps: UnmeasuredInterval[] };
  /** checkpoints with a failed validation or a non-zero error rate, each counted once */
  errorCount: number;
  errors: { failedValidations: number; errorRateSamples: number; samples: number; peakErrorRatePct?: number };
  checkpoints: number;
  trends: { latencyMs: Trend; memoryMb: Trend; errorRatePct: Trend };
  rows: CheckpointRow[];
  /** the latest sentinel probes (absent in reports written before they were kept) */
  sentinel?: { probes: number; kept: number; samples: SentinelSample[] };
  /** every decision point with the votes that decided it (who and when) */
  decisions: (DecisionRecord & { votes: RecordedApproval[] })[];
  votes: RecordedApproval[];
  signOffs: SignOff[];
  verdict: { ready: boolean; text: string };
  warnings: string[];
  rollback?: MonitoringView['rollback'];
  /**
   * who served (the router read back) at the start, each validation and decision point, the end; absent without a
   * traffic section or before it was read
   */
  traffic?: RouterReading[];
}

/** The seed's final sign-off: used when the view holds no final decision point to read roles from. */
export const SIGN_OFF_ROLES = ['engineering', 'operations', 'dataQuality'];
export const READY = 'System ready for steady-state operations';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const round = (x: number | undefined, digits = 2) =>
  x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits;

export function trend(rows: CheckpointRow[], pick: (r: CheckpointRow) => number | null | undefined): Trend {
  const values = (subset: CheckpointRow[]) => subset.map(pick).filter((v): v is number => typeof v === 'number');
  const end = rows.at(-1)?.offsetMs ?? 0;
  const firstHour = mean(values(rows.filter((r) => r.offsetMs <= 3_600_000)));
  const lastHour = mean(values(rows.filter((r) => r.offsetMs > end - 3_600_000)));
  const changePct = firstHour && lastHour !== undefined ? ((lastHour - firstHour) / firstHour) * 100 : undefined;
  return { firstHour: round(firstHour), lastHour: round(lastHour), changePct: round(changePct, 1) };
}

/** The plan's last decision point: the one whose votes are the sign-offs. */
export interface FinalDecisionPoint {
  label: string;
  roles: string[];
}

/**
 * The sign-offs are the votes of the plan's own final decision point, wherever it falls; a plan
 * without decision points asks for none (`null`). Without the plan (`undefined`), the decision
 * point at the end of the monitoring (or open there now), else the seed's three roles.
 */
function signOffs(view: MonitoringView, planFinal?: FinalDecisionPoint | null): SignOff[] {
  if (planFinal === null) return [];
  const final = planFinal ?? view.decisions.find((d) => d.offsetMs >= view.durationMs);
  const open = !final && view.elapsedMs >= view.durationMs ? view.openDecision : undefined;
  const gate = final?.label ?? open?.label;
  return (final?.roles ?? open?.roles ?? SIGN_OFF_ROLES).map((role) => {
    // A role may vote again (NO_GO, then GO after a fix): the latest vote is the one that counts.
    const vote = view.votes.filter((v) => v.gate === gate && v.role === role).at(-1);
    return vote ? { role, approver: vote.approver, decision: vote.decision, at: vote.at } : { role };
  });
}

function verdict(r: Omit<MonitoringReport, 'verdict'>): MonitoringReport['verdict'] {
  const missing: string[] = [];
  if (r.status === 'ROLLED_BACK') missing.push(`rolled back to V1 (${r.rollback?.reason ?? r.message})`);
  else if (r.status === 'MONITORING' || r.status === 'AWAITING_DECISION')
    missing.push(`monitoring still running (${r.monitoredFor} so far)`);
  else if (r.status !== 'COMPLETED') missing.push(`monitoring ended ${r.status}: ${r.message}`);
  if (r.errors.failedValidations) missing.push(`${r.errors.failedValidations} failed validation(s)`);
  const noGo = r.signOffs.filter((s) => s.decision === 'NO_GO');
  if (noGo.length) missing.push(`NO_GO from ${noGo.map((s) => `${s.role} (${s.approver})`).join(', ')}`);
  const unsigned = r.signOffs.filter((s) => !s.decision);
  if (unsigned.length) missing.push(`no sign-off from ${unsigned.map((s) => s.role).join(', ')}`);
  return missing.length
    ? { ready: false, text: `Not ready for steady-state operations: ${missing.join('; ')}` }
    : { ready: true, text: READY };
}

export function buildReport(
  plan: string,
  view: MonitoringView,
  finalPoint?: FinalDecisionPoint | null,
): MonitoringReport {
  const rates = view.rows.map((r) => r.errorRatePct).filter((v): v is number => typeof v === 'number');
  const report = {
    plan,
    cutoverId: view.cutoverId,
    status: view.status,
    message: view.message,
    monitoredFor: formatSpan(view.elapsedMs),
    plannedMs: view.durationMs,
    monitoredMs: view.elapsedMs,
    uptimePct: view.probes === 0 ? null : view.uptimePct,
    samples: view.probes,
    unmeasured: { totalMs: view.unmeasuredMs ?? 0, gaps: view.gaps ?? [] },
    errorCount: view.rows.filter((r) => r.status === 'FAIL' || (r.errorRatePct ?? 0) > 0).length,
    errors: {
      failedValidations: view.rows.filter((r) => r.status === 'FAIL').length,
      errorRateSamples: rates.filter((x) => x > 0).length,
      samples: rates.length,
      peakErrorRatePct: rates.length ? Math.max(...rates) : undefined,
    },
    checkpoints: view.rows.length,
    trends: {
      latencyMs: trend(view.rows, (r) => r.latencyMs),
      memoryMb: trend(view.rows, (r) => r.memoryMb),
      errorRatePct: trend(view.rows, (r) => r.errorRatePct),
    },
    rows: view.rows,
    /** the latest sentinel probes as measured (between checkpoints; all a short monitoring has) */
    sentinel: {
      probes: view.probes ?? 0,
      kept: view.sentinelSamples?.length ?? 0,
      samples: view.sentinelSamples ?? [],
    },
    decisions: view.decisions.map((d) => ({ ...d, votes: view.votes.filter((v) => v.gate === d.label) })),
    votes: view.votes,
    signOffs: signOffs(view, finalPoint),
    warnings: view.warnings,
    rollback: view.rollback,
    ...(view.traffic?.length ? { traffic: view.traffic } : {}),
  };
  return { ...report, verdict: verdict(report) };
}
