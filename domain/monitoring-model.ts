/** The 24-hour monitoring as data: its input, the state it carries across continue-as-new, its view. Pure. */
import type { MessageLog, PlanRef, RecordedApproval, RejectedApproval } from './cutover-model';
import type { LoadedPlan } from './loaded-plan';
import type { Kpis } from './kpi-compare';
import type { BackupInfo } from './rollback-model';
import type { CheckStatus } from './validation-report';

/** One row of the seed's spreadsheet: Time | Latency (ms) | Error Rate (%) | Memory (MB) | CPU (%) | Status. */
export interface CheckpointRow {
  at: string;
  offsetMs: number;
  label: string;
  latencyMs?: number;
  errorRatePct?: number;
  memoryMb?: number | null;
  cpuPct?: number | null;
  status: CheckStatus;
  note?: string;
}

export interface DecisionRecord {
  label: string;
  offsetMs: number;
  openedAt: string;
  decidedAt: string;
  outcome: 'continue' | 'rollback';
  via: 'votes' | 'timeout-default';
  roles: string[];
}

export interface OpenDecision {
  index: number;
  openedOffsetMs: number;
  deadlineOffsetMs: number;
  openedAt: string;
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
}

export interface MonitoringInput {
  plan: PlanRef;
  loaded?: LoadedPlan;
  cutoverId: string;
  backup?: BackupInfo;
  baseline?: Kpis;
  state?: MonitoringState;
}

export type MonitoringStatus = 'MONITORING' | 'AWAITING_DECISION' | 'COMPLETED' | 'ROLLING_BACK' | 'ROLLED_BACK' | 'ESCALATED' | 'FAILED';

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
  openDecision?: { label: string; roles: string[]; deadlineOffsetMs: number };
  rows: CheckpointRow[];
  decisions: DecisionRecord[];
  votes: RecordedApproval[];
  rejectedVotes: RejectedApproval[];
  /** signals not taken as sent (malformed, refused), bounded */
  rejectedMessages?: MessageLog;
  warnings: string[];
  rollback?: { workflowId: string; reason: string; startedOffsetMs: number; status?: string; durationMs?: number; message?: string };
  /** the report files; charts (SVG) are absent from reports written before they existed */
  report?: { json: string; markdown: string; charts?: string[] };
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

export const uptimePct = (s: MonitoringState) => (s.probes.total ? Math.round((s.probes.healthy / s.probes.total) * 100_000) / 1000 : 100);
