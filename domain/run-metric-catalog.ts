/**
 * The catalogue of the run series: each name, type, labels and meaning, defined once (the
 * operations page lists the same; a test holds them together). Pure.
 */
import type { CutoverStatus, PhaseState } from './cutover-model';
import type { MonitoringStatus } from './monitoring-model';
import type { CheckStatus } from './validation-report';

export type MetricType = 'gauge' | 'counter';
export interface MetricDef {
  name: string;
  type: MetricType;
  help: string;
  labels: string[];
}
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const RUN = ['plan', 'cutover_id'];
const def = (name: string, type: MetricType, labels: string[], help: string): MetricDef => ({
  name,
  type,
  help,
  labels: [...RUN, ...labels],
});

export const CUTOVER_STATUSES: CutoverStatus[] = [
  'RUNNING',
  'AWAITING_APPROVAL',
  'ROLLING_BACK',
  'SUCCESS',
  'ABORTED',
  'ROLLED_BACK',
  'FAILED',
];
export const MONITORING_STATUSES: MonitoringStatus[] = [
  'MONITORING',
  'AWAITING_DECISION',
  'ROLLING_BACK',
  'COMPLETED',
  'CANCELLED',
  'ROLLED_BACK',
  'ESCALATED',
  'FAILED',
];
/** Numbers rather than a label per state: one series per phase or key that a panel can plot and an alert compare. */
export const PHASE_STATE_CODE: Record<PhaseState, number> = {
  pending: 0,
  running: 1,
  passed: 2,
  failed: 3,
  skipped: 4,
};
export const CHECK_STATUS_CODE: Record<CheckStatus, number> = { PASS: 0, WARN: 1, FAIL: 2 };

/** Every series the worker exports about runs (docs/operations/metrics-and-alerts.md lists each). */
export const RUN_METRICS = {
  status: def('cutover_status', 'gauge', ['status'], 'the cutover status: 1 for the current one, 0 for the others'),
  currentPhase: def('cutover_current_phase', 'gauge', ['phase'], '1 for the phase the cutover is in'),
  phaseState: def(
    'cutover_phase_state',
    'gauge',
    ['phase'],
    'each phase: 0 pending, 1 running, 2 passed, 3 failed, 4 skipped',
  ),
  phaseDuration: def('cutover_phase_duration_seconds', 'gauge', ['phase'], 'how long an ended phase took'),
  unserved: def(
    'cutover_unserved_window_seconds',
    'gauge',
    [],
    "from V1's stop until V2 answered through the router: nobody served",
  ),
  validation: def(
    'cutover_validation_result',
    'gauge',
    ['kind', 'version', 'moment', 'report_key'],
    'the latest production validation per report key: 0 PASS, 1 WARN, 2 FAIL (report_key "overall": the whole report)',
  ),
  validationTime: def(
    'cutover_validation_timestamp_seconds',
    'gauge',
    ['kind', 'version', 'moment'],
    'when that validation ended (Unix time)',
  ),
  monitoringStatus: def(
    'cutover_monitoring_status',
    'gauge',
    ['status'],
    'the monitoring status: 1 for the current one, 0 for the others',
  ),
  elapsed: def('cutover_monitoring_elapsed_seconds', 'gauge', [], 'monitoring time so far'),
  planned: def('cutover_monitoring_planned_seconds', 'gauge', [], "the monitoring's planned length"),
  uptime: def('cutover_monitoring_uptime_ratio', 'gauge', [], 'healthy probes over probes that ran (0–1)'),
  unmeasured: def(
    'cutover_monitoring_unmeasured_seconds',
    'gauge',
    [],
    'time no probe ran (worker or server unreachable)',
  ),
  checkpoints: def('cutover_monitoring_checkpoints', 'gauge', [], 'checkpoint rows recorded so far'),
  nextEvent: def(
    'cutover_monitoring_next_event_seconds',
    'gauge',
    [],
    'monitoring time until the next checkpoint or decision point',
  ),
  probes: def('cutover_sentinel_probes_total', 'counter', ['version'], 'sentinel probes that ran'),
  healthy: def('cutover_sentinel_healthy', 'gauge', ['version'], 'the latest sentinel probe: 1 healthy, 0 not'),
  errorRatio: def(
    'cutover_sentinel_error_ratio',
    'gauge',
    ['version'],
    'the latest sentinel error rate (0–1) over the error-rate window',
  ),
  memory: def(
    'cutover_sentinel_memory_bytes',
    'gauge',
    ['version'],
    "the latest sentinel reading of the service's memory",
  ),
  cpu: def(
    'cutover_sentinel_cpu_ratio',
    'gauge',
    ['version'],
    "the latest sentinel reading of the service's CPU (0–1)",
  ),
  latency: def(
    'cutover_checkpoint_latency_seconds',
    'gauge',
    ['version'],
    "the latest checkpoint's average latency (timed checks)",
  ),
  decisionOpen: def(
    'cutover_decision_open',
    'gauge',
    ['kind', 'decision'],
    '1 while a decision (the GO/NO-GO gate, a decision point) waits for votes',
  ),
  decisionDeadline: def(
    'cutover_decision_deadline_timestamp_seconds',
    'gauge',
    ['kind', 'decision'],
    "when the open decision's default applies (Unix time)",
  ),
  votesMissing: def(
    'cutover_decision_votes_missing',
    'gauge',
    ['kind', 'decision'],
    'roles that have not voted on the open decision yet',
  ),
  decisions: def(
    'cutover_decisions_total',
    'counter',
    ['outcome', 'via'],
    "the monitoring's decision points decided, by outcome (continue, rollback) and via (votes, timeout-default)",
  ),
  rollbacks: def(
    'cutover_rollbacks_total',
    'counter',
    ['kind'],
    'rollbacks this run started (0 or 1): kind cutover or monitoring',
  ),
  rollbackRunning: def('cutover_rollback_running', 'gauge', ['kind'], '1 while the rollback runs'),
  rollbackDuration: def(
    'cutover_rollback_duration_seconds',
    'gauge',
    ['kind'],
    'how long the rollback took, once ended',
  ),
} as const;
