/**
 * The Prometheus series of one cutover or monitoring, derived from its status view alone. Pure:
 * the same view gives the same series on every worker, so several workers export identical
 * values and a restarted one exports the right ones at its first poll. Labels are bounded: the
 * plan, the cutover id (one per run; its series go when the run ends), and small fixed sets.
 */
import type { CutoverView, RecordedApproval } from './cutover-model';
import type { MonitoringView } from './monitoring-model';
import type { ValidationBrief } from './validation-report';
import {
  CHECK_STATUS_CODE,
  CUTOVER_STATUSES,
  MONITORING_STATUSES,
  PHASE_STATE_CODE,
  RUN_METRICS,
  type Sample,
} from './run-metric-catalog';

export { RUN_METRICS, type MetricDef, type Sample } from './run-metric-catalog';

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
