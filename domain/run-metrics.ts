/**
 * The Prometheus series of one cutover or monitoring, derived from its status view alone. Pure:
 * the same view gives the same series on every worker, so several workers export identical
 * values and a restarted one exports the right ones at its first poll. Labels are bounded: the
 * plan, the cutover id (one per run; its series go when the run ends), and small fixed sets.
 */
import type { CutoverStatus, CutoverView, PhaseState, RecordedApproval } from './cutover-model';
import type { MonitoringStatus, MonitoringView } from './monitoring-model';
import type { CheckStatus, ValidationBrief } from './validation-report';

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

const CUTOVER_STATUSES: CutoverStatus[] = [
  'RUNNING',
  'AWAITING_APPROVAL',
  'ROLLING_BACK',
  'SUCCESS',
  'ABORTED',
  'ROLLED_BACK',
  'FAILED',
];
const MONITORING_STATUSES: MonitoringStatus[] = [
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

/** Every series the worker exports about runs, defined once (the docs' table is generated from this list). */
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

type Key = keyof typeof RUN_METRICS;

class Series {
  readonly samples: Sample[] = [];
  constructor(private readonly run: { plan: string; cutover_id: string }) {}
  add(key: Key, value: number | undefined | null, labels: Record<string, string> = {}) {
    if (value === undefined || value === null || !Number.isFinite(value)) return;
    this.samples.push({ name: RUN_METRICS[key].name, labels: { ...this.run, ...labels }, value });
  }
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const unix = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined);

function validationSeries(s: Series, kind: string, moment: string, v: ValidationBrief) {
  const labels = { kind, version: v.target, moment };
  s.add('validation', CHECK_STATUS_CODE[v.status], { ...labels, report_key: 'overall' });
  for (const [key, status] of Object.entries(v.checks))
    s.add('validation', CHECK_STATUS_CODE[status], { ...labels, report_key: key });
  s.add('validationTime', unix(v.at), labels);
}

function decisionSeries(
  s: Series,
  kind: string,
  open: { label: string; roles: string[]; deadlineAt?: string },
  votes: RecordedApproval[],
  gate: string,
) {
  const labels = { kind, decision: open.label };
  s.add('decisionOpen', 1, labels);
  s.add('decisionDeadline', unix(open.deadlineAt), labels);
  const voted = new Set(votes.filter((v) => v.gate === gate).map((v) => v.role));
  s.add('votesMissing', open.roles.filter((r) => !voted.has(r)).length, labels);
}

function rollbackSeries(s: Series, kind: string, r: { status?: string; durationMs?: number } | undefined) {
  s.add('rollbacks', r ? 1 : 0, { kind });
  if (!r) return;
  const running = !r.status || r.status === 'RUNNING';
  s.add('rollbackRunning', running ? 1 : 0, { kind });
  if (!running) s.add('rollbackDuration', seconds(r.durationMs), { kind });
}

export function cutoverSeries(view: CutoverView, plan: string): Sample[] {
  const s = new Series({ plan, cutover_id: view.cutoverId });
  for (const status of CUTOVER_STATUSES) s.add('status', view.status === status ? 1 : 0, { status });
  if (view.currentPhase) s.add('currentPhase', 1, { phase: view.currentPhase });
  for (const phase of view.phases) {
    s.add('phaseState', PHASE_STATE_CODE[phase.state], { phase: phase.id });
    s.add('phaseDuration', seconds(phase.durationMs), { phase: phase.id });
  }
  s.add('unserved', seconds(view.traffic?.unservedMs));
  // the latest validation of each moment (phase5; a canary's steps are each their own moment)
  const latest = new Map((view.validations ?? []).map((v) => [v.label, v]));
  for (const [moment, v] of latest) validationSeries(s, 'cutover', moment, v);
  if (view.openDecision) decisionSeries(s, 'cutover', view.openDecision, view.approvals, 'go-no-go');
  rollbackSeries(s, 'cutover', view.rollback);
  return s.samples;
}

export function monitoringSeries(view: MonitoringView, plan: string): Sample[] {
  const s = new Series({ plan, cutover_id: view.cutoverId });
  for (const status of MONITORING_STATUSES) s.add('monitoringStatus', view.status === status ? 1 : 0, { status });
  s.add('elapsed', seconds(view.elapsedMs));
  s.add('planned', view.durationMs ? seconds(view.durationMs) : undefined);
  s.add('uptime', view.probes ? view.uptimePct / 100 : undefined);
  s.add('unmeasured', seconds(view.unmeasuredMs ?? 0));
  s.add('checkpoints', view.rows.length);
  s.add('nextEvent', view.next ? seconds(Math.max(0, view.next.offsetMs - view.elapsedMs)) : undefined);
  const version = { version: 'v2' };
  s.add('probes', view.probes ?? 0, version);
  const sample = view.sentinelSamples?.at(-1);
  if (sample) {
    s.add('healthy', sample.healthy ? 1 : 0, version);
    s.add('errorRatio', sample.errorRatePct === undefined ? undefined : sample.errorRatePct / 100, version);
    s.add('memory', sample.memoryMb === null ? undefined : sample.memoryMb * 1024 * 1024, version);
    s.add('cpu', sample.cpuPct === null ? undefined : sample.cpuPct / 100, version);
  }
  const row = view.rows.at(-1);
  s.add('latency', row?.latencyMs === undefined ? undefined : row.latencyMs / 1000, version);
  if (view.lastValidation) validationSeries(s, 'monitoring', 'checkpoint', view.lastValidation);
  if (view.openDecision) decisionSeries(s, 'monitoring', view.openDecision, view.votes, view.openDecision.label);
  const decided = new Map<string, number>();
  for (const d of view.decisions)
    decided.set(`${d.outcome}\n${d.via}`, (decided.get(`${d.outcome}\n${d.via}`) ?? 0) + 1);
  for (const [key, n] of decided) {
    const [outcome, via] = key.split('\n');
    s.add('decisions', n, { outcome, via });
  }
  rollbackSeries(s, 'monitoring', view.rollback);
  return s.samples;
}
