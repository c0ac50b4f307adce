/** The 24-hour monitoring as data: its input, the state it carries across continue-as-new, its view. Pure. */
import type { OpenDecisionView } from './open-decision';
import type { MessageLog, PlanRef, RecordedApproval, RejectedApproval } from './cutover-model';
import type { LoadedPlan } from './loaded-plan';
import type { BaselineValues } from './baseline';
import type { BackupInfo } from './rollback-model';
import type { CheckStatus, ValidationBrief } from './validation-report';
import type { TrendState } from './trend';
import type { ChartLimits } from './monitoring-charts';
import type { CancelRequest } from './cancel-request';
import type { CountedWindow } from './monitoring-figures';
import { formatSpan } from './duration';
import type { VotingWindow } from './voting-window';

/** One row of the seed's spreadsheet: Time | Latency (ms) | Error Rate (%) | Memory (MB) | CPU (%) | Status. */
export interface CheckpointRow {
  at: string;
  offsetMs: number;
  label: string;
  latencyMs?: number;
  errorRatePct?: number;
  /** the user requests that rate is over (absent in rows from before it was counted) */
  errorRateRequests?: number;
  memoryMb?: number | null;
  cpuPct?: number | null;
  status: CheckStatus;
  note?: string;
}

/** One sentinel probe as measured: between checkpoints, and all a short monitoring may have. */
export interface SentinelSample {
  offsetMs: number;
  at: string;
  healthy: boolean;
  errorRatePct?: number;
  /** the user requests that rate is over; with too few it is inconclusive (errorRateNote) */
  errorRateRequests?: number;
  errorRateNote?: string;
  memoryMb: number | null;
  cpuPct: number | null;
  detail?: string;
}
/** The last hour at the default cadence: enough for a report, small enough for continue-as-new. */
export const SENTINEL_SAMPLES_KEPT = 60;

export interface DecisionRecord {
  label: string;
  /** the point's scheduled offset (charts mark it there) */
  offsetMs: number;
  /** when it was due by the timetable; absent in records made before windows counted from opening */
  scheduledAt?: string;
  /** workflow time at which it opened and the leads were notified: its window counts from here */
  openedAt: string;
  openedOffsetMs?: number;
  decidedAt: string;
  /** the plan's timeout: how long the leads had */
  windowMs?: number;
  /** time the leads could not vote (worker or server unreachable) added to the window */
  extendedMs?: number;
  outcome: 'continue' | 'rollback';
  via: 'votes' | 'timeout-default';
  roles: string[];
  /** "default after 5 min, no vote" — never "the leads decided" when nobody did */
  note?: string;
}

/** The window counts from when it actually opened (after the notification), not from scheduledOffsetMs. */
export interface OpenDecision extends VotingWindow {
  index: number;
  openedAt: string;
  scheduledOffsetMs?: number;
}

/** Time nobody measured: the worker or the server was unreachable, so no probe ran. */
export interface UnmeasuredInterval {
  fromOffsetMs: number;
  toOffsetMs: number;
  from: string;
  to: string;
  why: string;
}

export interface MonitoringState {
  /** workflow time (ms since epoch) at which monitoring started, kept across continue-as-new */
  startMs: number;
  /** offset (ms from start) of the last event handled */
  elapsedMs: number;
  rows: CheckpointRow[];
  decisions: DecisionRecord[];
  votes: RecordedApproval[];
  rejected: RejectedApproval[];
  openDecision?: OpenDecision;
  probes: { total: number; healthy: number; errorsSeen: number };
  lastCounters?: { requests: number; errors: number };
  /** user requests and errors per reading, the error rate's window (at most COUNTED_KEPT; absent in older states) */
  counted?: CountedWindow[];
  /** offset of the last reading that counted requests: the next one's window starts there */
  lastCountedMs?: number;
  lastCpu?: { seconds: number; offsetMs: number };
  hour1MemoryMb?: number;
  /** state-change notification keys already sent, so a probe never repeats a message */
  notified: string[];
  warnings: string[];
  /** consecutive unhealthy sentinel probes: the second in a row is a repeated failure */
  failStreak: number;
  runs: number;
  rollbackStartedOffsetMs?: number;
  /** signals not taken as sent, carried across continue-as-new (absent in older runs) */
  rejectedMessages?: MessageLog;
  /** outages: no probe ran, nothing is counted for them (absent in states from before gaps existed) */
  gaps?: UnmeasuredInterval[];
  /** the latest sentinel probes (at most SENTINEL_SAMPLES_KEPT; absent in states from before they were kept) */
  sentinelSamples?: SentinelSample[];
  /** data checks: consecutive FAILs per check (failureLimit), absent before checks were data */
  checkStreaks?: Record<string, number>;
  /** data checks with a trend: the reference and the latest readings per check */
  trends?: Record<string, TrendState>;
  /** decision points that came due while another was open (a long outage can miss two) */
  pendingDecisions?: { index: number; scheduledOffsetMs: number }[];
  /** the router as read at the start, each validation and decision point (absent before it was read) */
  traffic?: RouterReading[];
  /** the latest checkpoint's validation, each report key's status (absent in states from before it was kept) */
  lastValidation?: ValidationBrief;
}

/** Who serves, as the router said at one moment of the monitoring ("V2 100%", "V1 100%" after a rollback). */
export interface RouterReading {
  offsetMs: number;
  at: string;
  label: string;
  summary: string;
}

export interface MonitoringInput {
  plan: PlanRef;
  loaded?: LoadedPlan;
  cutoverId: string;
  backup?: BackupInfo;
  baseline?: BaselineValues;
  state?: MonitoringState;
}

/** CANCELLED: someone cancelled the workflow (UI, `temporal workflow cancel`); V2 kept serving. */
export type MonitoringStatus =
  | 'MONITORING'
  | 'AWAITING_DECISION'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'ROLLING_BACK'
  | 'ROLLED_BACK'
  | 'ESCALATED'
  | 'FAILED';

export interface MonitoringView {
  cutoverId: string;
  status: MonitoringStatus;
  message: string;
  elapsedMs: number;
  durationMs: number;
  uptimePct: number;
  /** how many runs (continue-as-new) the monitoring took so far */
  runs: number;
  next?: { offsetMs: number; what: string };
  /** the OpenDecisionView fields are missing from views written before they existed */
  openDecision?: {
    label: string;
    roles: string[];
    deadlineOffsetMs: number;
    openedOffsetMs?: number;
  } & Partial<OpenDecisionView>;
  rows: CheckpointRow[];
  decisions: DecisionRecord[];
  votes: RecordedApproval[];
  rejectedVotes: RejectedApproval[];
  /** signals not taken as sent (malformed, refused), bounded */
  rejectedMessages?: MessageLog;
  warnings: string[];
  /** unmeasured intervals and their total; uptime counts measured time only */
  gaps?: UnmeasuredInterval[];
  /** the latest sentinel probes (at most SENTINEL_SAMPLES_KEPT; absent in states from before they were kept) */
  sentinelSamples?: SentinelSample[];
  /** the plan's limits, for charts drawn from the view alone (the live page) */
  limits?: ChartLimits;
  unmeasuredMs?: number;
  /** probes that ran; 0 means uptime is unknown, not 100% */
  probes?: number;
  rollback?: {
    workflowId: string;
    reason: string;
    startedOffsetMs: number;
    status?: string;
    durationMs?: number;
    message?: string;
  };
  /** the report files; charts (SVG) are absent from reports written before they existed */
  report?: { json: string; markdown: string; charts?: string[] };
  /** the router's state at the start, each validation and decision point, and the end */
  traffic?: RouterReading[];
  /** who cancelled it and when (status CANCELLED) */
  cancelRequest?: CancelRequest;
  /** the latest checkpoint's validation, each report key's status */
  lastValidation?: ValidationBrief;
}

export const initialState = (startMs: number): MonitoringState => ({
  startMs,
  elapsedMs: 0,
  rows: [],
  decisions: [],
  votes: [],
  rejected: [],
  probes: { total: 0, healthy: 0, errorsSeen: 0 },
  notified: [],
  warnings: [],
  failStreak: 0,
  runs: 1,
});

/** Healthy probes over probes that ran: missed probes are not counted either way (see gaps). */
export const uptimePct = (s: MonitoringState) =>
  s.probes.total ? Math.round((s.probes.healthy / s.probes.total) * 100_000) / 1000 : 100;

export const GAP_WHY = 'worker or server unreachable';
export const BUSY_WHY = 'a step ran long (a FAIL re-run, or a step retried after its worker was lost)';
export const unmeasuredMs = (gaps: UnmeasuredInterval[] | undefined) =>
  (gaps ?? []).reduce((sum, g) => sum + (g.toOffsetMs - g.fromOffsetMs), 0);

/** "uptime 100% of measured time; 9.5 min not measured", "uptime 100%", or "no samples yet". */
export function uptimeLine(s: MonitoringState): string {
  if (!s.probes.total) return 'uptime: no samples yet';
  const gaps = unmeasuredMs(s.gaps);
  return `uptime ${uptimePct(s)}%${gaps ? ` of measured time; ${formatSpan(gaps)} not measured` : ''}`;
}
