/**
 * A real Prometheus scrapes a real worker process's run metrics during a demo cutover and the
 * short monitoring it hands over to; an Alertmanager notification posted to `cutover
 * alert-webhook` rolls that monitoring back. PromQL reads the phases, the validations, the
 * sentinel readings and the rollback, from two workers alike and from one restarted; every panel of the Grafana dashboard returns series; the
 * series of the ended runs disappear.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { viewOrThrow } from '../../domain/outcome';
import { demoFixturePerTest, freePort, REPO } from '../helpers/demo-fixture';
import { devServerWithWorkerProcesses } from '../helpers/dev-server-suite';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus';
import { startCutover } from '../helpers/cutover-runner';
import { killGroup } from '../helpers/worker-process';
import { waitFor } from '../helpers/wait-for';

const suite = devServerWithWorkerProcesses();
const fixtures = demoFixturePerTest();
let env: TestWorkflowEnvironment;
let prometheus: TestPrometheus | undefined;
let webhook: ChildProcess | undefined;
let webhookUrl: string;
let workerLog = '';
const TOKEN = 'test-alert-token';

/** Two workers export run metrics, each on its own port; B starts during the test, A is restarted in it. */
const ports: Record<'a' | 'b', number> = { a: 0, b: 0 };
const startExporting = (name: 'a' | 'b') =>
  suite.startWorker({
    env: {
      CUTOVER_RUN_METRICS_ADDRESS: `127.0.0.1:${ports[name]}`,
      CUTOVER_RUN_METRICS_POLL: '1s',
      CUTOVER_RUN_METRICS_LINGER: '5s',
    },
    onOutput: (text) => (workerLog = (workerLog + text).slice(-20_000)),
  });
let workerA: ChildProcess;

beforeAll(async () => {
  env = suite.env;
  ports.a = await freePort();
  ports.b = await freePort();
  workerA = await startExporting('a');
  prometheus = await startPrometheus([
    { job: 'worker-a', address: `127.0.0.1:${ports.a}` },
    { job: 'worker-b', address: `127.0.0.1:${ports.b}` },
  ]);
  webhook = spawn(
    path.join(REPO, 'node_modules/.bin/tsx'),
    [path.join(REPO, 'client/main.ts'), 'alert-webhook', '--listen', '127.0.0.1:0'],
    {
      env: { ...process.env, TEMPORAL_ADDRESS: env.address, CUTOVER_ALERT_TOKEN: TOKEN, CUTOVER_LOG_PRETTY: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  // the URL is on stdout, a failure on stderr
  webhook.stdout!.on('data', (d) => (out += d));
  webhook.stderr!.on('data', (d) => (out += d));
  webhookUrl = await waitFor('the alert webhook to listen', () => {
    if (webhook!.exitCode !== null) throw new Error(`alert-webhook exited ${webhook!.exitCode}:\n${out}`);
    return /listening on (http:\S+)/.exec(out)?.[1];
  });
}, 300_000);
afterAll(async () => {
  if (webhook) await killGroup(webhook, 'SIGTERM');
  await prometheus?.stop();
});

const SHORT_MONITORING = {
  duration: '5m',
  cadence: [{ until: '5m', every: '3s' }],
  sentinelEvery: '1s',
  summaryEvery: '1m',
  decisionPoints: [{ at: '5m', label: 'Final sign-off', roles: ['engineering'], timeout: '2s', onTimeout: 'continue' }],
};

/** The Alertmanager webhook payload (version 4) for one alert. */
function notification(labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing') {
  const alert = {
    status,
    labels: { alertname: 'LoansV2ErrorBudgetBurn', severity: 'critical', ...labels },
    annotations: { summary: 'V2 burns its error budget 14x too fast' },
    startsAt: new Date().toISOString(),
    endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example:9090/graph?g0.expr=errors',
    fingerprint: '1f2e3d4c5b6a7980',
  };
  return {
    version: '4',
    groupKey: '{}:{alertname="LoansV2ErrorBudgetBurn"}',
    truncatedAlerts: 0,
    status,
    receiver: 'cutover-rollback',
    groupLabels: { alertname: alert.labels.alertname },
    commonLabels: alert.labels,
    commonAnnotations: alert.annotations,
    externalURL: 'http://alertmanager.example:9093',
    alerts: [alert],
  };
}

async function post(body: unknown, token = TOKEN) {
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { results?: Record<string, unknown>[]; error?: string } };
}

/** A range query over the test so far: what Prometheus saw, even of runs that ended since. */
async function rangeQuery(promql: string, fromS: number) {
  const params = new URLSearchParams({
    query: promql,
    start: String(fromS),
    end: String(Date.now() / 1000),
    step: '1',
  });
  const res = await fetch(`${prometheus!.url}/api/v1/query_range?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
  return body.data!.result as { metric: Record<string, string>; values: [number, string][] }[];
}

const values = (series: { values: [number, string][] }[]) => series.flatMap((s) => s.values.map((v) => Number(v[1])));

test('Prometheus reads a cutover and its monitoring from two workers alike and from one restarted, an alert rolls the monitoring back, and the ended runs’ series go', async () => {
  const fromS = Date.now() / 1000 - 5;
  const fixture = await fixtures.withV1Running({
    mutate: (plan) =>
      Object.assign(plan, { monitoring: SHORT_MONITORING, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
  });
  const plan = fixture.plan.name as string;
  const handle = await startCutover(env.client, fixture.plan, { autoApprove: true, monitor: true });
  const id = handle.workflowId;
  const cutover = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(cutover.status).toBe('SUCCESS');
  expect(cutover.validations?.[0]).toMatchObject({ label: 'phase5', target: 'v2', status: 'PASS' });

  // the cutover's phases, as the poller saw them go by, and its final state (kept for the linger time)
  await prometheus!.waitForData(`cutover_status{cutover_id="${id}",status="SUCCESS"} == 1`);
  const phases = await rangeQuery(`cutover_current_phase{cutover_id="${id}"} == 1`, fromS);
  expect(new Set(phases.map((s) => s.metric.phase)).size).toBeGreaterThanOrEqual(2);
  const phase5 = await prometheus!.query(`cutover_phase_state{cutover_id="${id}",phase="phase5"}`);
  expect(phase5.map((s) => s.value[1])).toEqual(['2']); // passed
  const keys = await prometheus!.query(`cutover_validation_result{cutover_id="${id}",kind="cutover",moment="phase5"}`);
  expect(keys.map((s) => s.metric.report_key).sort()).toEqual(
    ['audit_trail', 'data_integrity', 'error_handling', 'kpi_calculations', 'overall', 'performance'].sort(),
  );
  expect(keys.every((s) => s.metric.plan === plan && s.metric.version === 'v2' && s.value[1] === '0')).toBe(true);

  // the monitoring: sentinel readings and each checkpoint's validation
  const monitoring = env.client.workflow.getHandle(`${id}-monitoring`);
  await prometheus!.waitForData(`cutover_sentinel_memory_bytes{cutover_id="${id}"} > 0`);
  await prometheus!.waitForData(`cutover_sentinel_error_ratio{cutover_id="${id}"} >= 0`);
  await prometheus!.waitForData(`cutover_checkpoint_latency_seconds{cutover_id="${id}"} > 0`);
  await prometheus!.waitForData(
    `cutover_validation_result{cutover_id="${id}",kind="monitoring",report_key="overall"} >= 0`,
  );
  await prometheus!.waitForData(`cutover_monitoring_status{cutover_id="${id}",status="MONITORING"} == 1`);

  // a second worker exports the same run; the first, killed and started again, exports it from where it is now
  await startExporting('b');
  await prometheus!.waitForData(`count(cutover_monitoring_status{cutover_id="${id}",status="MONITORING"} == 1) == 2`);
  await killGroup(workerA);
  const before = Number(
    (await prometheus!.query(`max(cutover_monitoring_checkpoints{cutover_id="${id}"})`))[0].value[1],
  );
  const restartedS = Date.now() / 1000;
  workerA = await startExporting('a');
  await prometheus!.waitForData(`cutover_metrics_poll_timestamp_seconds{job="worker-a"} > ${restartedS}`);
  await prometheus!.waitForData(`cutover_monitoring_checkpoints{job="worker-a",cutover_id="${id}"} >= ${before}`);
  expect(before).toBeGreaterThan(0);

  // the alert webhook: refusals first, then the rollback
  const wrongToken = await post(notification({ cutover_plan: plan }), 'not-the-token');
  expect(wrongToken.status).toBe(401);
  expect(wrongToken.body.error).toMatch(/not the configured token/);
  const resolved = await post(notification({ cutover_plan: plan }, 'resolved'));
  expect(resolved.status).toBe(200);
  expect(resolved.body.results).toEqual([
    expect.objectContaining({ action: 'ignored', why: expect.stringMatching(/resolved/) }),
  ]);
  const unknown = await post(notification({ cutover_plan: 'no-such-plan' }));
  expect(unknown.status).toBe(404);
  expect(unknown.body.results![0].why).toMatch(/no running cutover or monitoring of plan no-such-plan: nothing done/);
  const lowSeverity = await post(notification({ cutover_plan: plan, severity: 'warning' }));
  expect(lowSeverity.body.results![0]).toMatchObject({
    action: 'ignored',
    why: expect.stringMatching(/severity "warning"/),
  });
  expect((await monitoring.query<MonitoringView>('status')).status).toBe('MONITORING');

  const fired = await post(notification({ cutover_plan: plan }));
  expect(fired.status).toBe(200);
  expect(fired.body.results![0]).toMatchObject({ action: 'rollback sent', workflowIds: [`${id}-monitoring`] });
  const ended = (await monitoring.result().catch(viewOrThrow)) as MonitoringView;
  expect(ended.status).toBe('ROLLED_BACK');
  expect(ended.rollback!.reason).toContain('alertmanager');
  expect(ended.rollback!.reason).toContain('alert LoansV2ErrorBudgetBurn');
  expect(ended.rollback!.reason).toContain('http://prometheus.example:9090/graph');

  // the rollback as Prometheus saw it
  await prometheus!.waitForData(`cutover_rollback_duration_seconds{cutover_id="${id}",kind="monitoring"} > 0`);
  expect(values(await rangeQuery(`cutover_rollbacks_total{cutover_id="${id}",kind="monitoring"}`, fromS))).toContain(1);
  await prometheus!
    .waitForData(`cutover_monitoring_status{cutover_id="${id}",status="ROLLED_BACK"} == 1`)
    .catch((err: Error) => {
      throw new Error(
        `${err.message}\nworker:\n${workerLog
          .split('\n')
          .filter((l) => /run metrics/.test(l))
          .join('\n')}`,
      );
    });

  // every panel of the Grafana dashboard, its variables set to this run, has series
  const dashboard = JSON.parse(fs.readFileSync(path.join(REPO, 'deploy/grafana/cutover-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  expect(dashboard.panels.length).toBeGreaterThan(5);
  const empty: string[] = [];
  for (const panel of dashboard.panels)
    for (const target of panel.targets) {
      const expr = target.expr.replace(/\$plan\b/g, plan).replace(/\$cutover_id\b/g, id);
      if ((await rangeQuery(expr, fromS)).length === 0) empty.push(`${panel.title}: ${expr}`);
    }
  expect(empty).toEqual([]);

  // both runs ended: after the linger time their series are gone from the scrape
  await waitFor('the ended runs’ series to disappear', async () => {
    const left = await prometheus!.query(`{cutover_id="${id}"}`);
    return left.length === 0 ? true : undefined;
  });
  // while the workers still answer (their own series stay)
  expect((await prometheus!.query('cutover_metrics_poll_timestamp_seconds')).length).toBe(2);
}, 600_000);
