/** The run series from status views, the exposition format, and how an alert is read. Pure. */
import fs from 'node:fs';
import path from 'node:path';
import { RUN_METRICS, monitoringSeries } from '../../domain/run-metrics';
import { renderExposition } from '../../infra/prometheus-exposition';
import { decideAlert, type Alert } from '../../domain/alert-rollback';
import type { MonitoringView } from '../../domain/monitoring-model';
import { runMetricsFromEnv } from '../../worker/run-metrics';

const REPO = path.resolve(__dirname, '../..');

test('the operations page lists every run series by name', () => {
  const page = fs.readFileSync(path.join(REPO, 'docs/operations/metrics-and-alerts.md'), 'utf8');
  expect(Object.values(RUN_METRICS).filter((d) => !page.includes(`\`${d.name}\``))).toEqual([]);
});

test('a monitoring view gives its readings in base units, its open decision with votes missing', () => {
  const view = {
    cutoverId: 'cutover-loans-1',
    status: 'AWAITING_DECISION',
    elapsedMs: 7_200_000,
    durationMs: 86_400_000,
    uptimePct: 99.5,
    probes: 120,
    rows: [{ at: '', offsetMs: 0, label: 'Hour 1', latencyMs: 12, status: 'PASS' }],
    sentinelSamples: [{ offsetMs: 0, at: '', healthy: true, errorRatePct: 0.2, memoryMb: 64, cpuPct: 5 }],
    openDecision: {
      label: 'Hour 2 review',
      roles: ['engineering', 'operations'],
      deadlineAt: '2026-01-01T00:00:00.000Z',
    },
    votes: [{ gate: 'Hour 2 review', role: 'engineering', approver: 'alice', decision: 'GO', at: '', via: 'update' }],
    decisions: [],
    rejectedVotes: [],
    warnings: [],
    runs: 1,
    message: '',
  } as unknown as MonitoringView;
  const text = renderExposition(Object.values(RUN_METRICS), monitoringSeries(view, 'loans'));
  const at = (name: string) => text.split('\n').find((l) => l.startsWith(`${name}{`));
  expect(at('cutover_sentinel_memory_bytes')).toBe(
    'cutover_sentinel_memory_bytes{plan="loans",cutover_id="cutover-loans-1",version="v2"} 67108864',
  );
  expect(at('cutover_sentinel_error_ratio')).toMatch(/ 0\.002$/);
  expect(at('cutover_checkpoint_latency_seconds')).toMatch(/ 0\.012$/);
  expect(at('cutover_decision_votes_missing')).toMatch(/decision="Hour 2 review"} 1$/);
  expect(text).toContain(
    'cutover_monitoring_status{plan="loans",cutover_id="cutover-loans-1",status="AWAITING_DECISION"} 1',
  );
  expect(text).toContain('# TYPE cutover_rollbacks_total counter');
});

const alert = (labels: Record<string, string>, status: Alert['status'] = 'firing'): Alert => ({
  status,
  labels: { alertname: 'HighErrors', severity: 'critical', ...labels },
  annotations: { summary: 'errors up' },
  startsAt: '2026-01-01T00:00:00Z',
  generatorURL: 'http://prom/graph',
});

test('a firing critical alert naming a plan asks for its rollback, with the alert name and link as the reason', () => {
  expect(decideAlert(alert({ cutover_plan: 'loans' }), ['critical'])).toEqual({
    alert: 'HighErrors',
    action: 'rollback',
    target: { plan: 'loans' },
    reason: 'alert HighErrors: errors up (http://prom/graph)',
  });
  expect(decideAlert(alert({ cutover_id: 'cutover-loans-1' }), ['critical'])).toMatchObject({
    target: { cutoverId: 'cutover-loans-1' },
  });
});

test('a resolved alert, another severity, no label or a label that is no name do nothing and say why', () => {
  expect(decideAlert(alert({ cutover_plan: 'loans' }, 'resolved'), ['critical'])).toMatchObject({
    action: 'ignore',
    why: expect.stringMatching(/resolved/),
  });
  expect(decideAlert(alert({ cutover_plan: 'loans', severity: 'page' }), ['critical'])).toMatchObject({
    why: expect.stringMatching(/severity "page" is not one .* \(critical\)/),
  });
  expect(decideAlert(alert({}), ['critical'])).toMatchObject({ why: expect.stringMatching(/no cutover_plan/) });
  expect(decideAlert(alert({ cutover_plan: "x' OR 1=1" }), ['critical'])).toMatchObject({
    why: expect.stringMatching(/is not a plan name/),
  });
});

test('the run metrics settings: unset is none, a bad address or duration is refused by name', () => {
  expect(runMetricsFromEnv({})).toBeUndefined();
  expect(runMetricsFromEnv({ CUTOVER_RUN_METRICS_ADDRESS: '0.0.0.0:9465' })).toEqual({
    host: '0.0.0.0',
    port: 9465,
    pollMs: 15_000,
    lingerMs: 60_000,
  });
  expect(() => runMetricsFromEnv({ CUTOVER_RUN_METRICS_ADDRESS: '9465' })).toThrow(
    'CUTOVER_RUN_METRICS_ADDRESS="9465": expected HOST:PORT',
  );
  expect(() => runMetricsFromEnv({ CUTOVER_RUN_METRICS_ADDRESS: 'h:1', CUTOVER_RUN_METRICS_POLL: 'often' })).toThrow(
    'CUTOVER_RUN_METRICS_POLL="often": expected a duration',
  );
});
