/**
 * Done-when of "checks as data": a service that is not the demo (the orders service: its own API
 * under /api, no /kpis, /integrity or /audit, its data published into PostgreSQL, scraped by
 * Prometheus, with its team's own validation script) is cut over end to end on the dev server
 * with a plan of http, prometheus, sql and command checks, and the same plan rolls back when V2
 * breaks in a way each check owns. The cutovers run at once on one worker, one file's servers.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fs from 'node:fs';
import path from 'node:path';
import type { CutoverView } from '../../domain/cutover-model';
import { recordHistory } from '../helpers/record-history';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { atHold, startCutover } from '../helpers/cutover-runner';
import { waitFor } from '../helpers/wait-for';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus';
import { REPO } from '../helpers/demo-fixture';
import { startService } from '../../activities/service-control';
import { loadInlinePlan } from '../../activities/plan-loader';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let pgServer: TestPostgres;
let prom: TestPrometheus;
const fixtures: Record<string, OrdersFixture> = {};
const CASES = ['ok', 'drift', 'errors', 'warehouse', 'script'] as const;

/** The orders team's plan: every provider, the seed's five report keys. */
function checks(f: OrdersFixture) {
  const job = '{{ service }}';
  return [
    {
      name: 'health',
      report: 'error_handling',
      at: ['shadow', 'phase5', 'checkpoint', 'sentinel'],
      http: { path: '/health', extract: 'status' },
      pass: 'result.value == "ok"',
    },
    {
      name: 'summary_parity',
      report: 'kpi_calculations',
      at: ['shadow', 'phase5', 'checkpoint'],
      http: { path: '/summary' },
      compare: { against: 'v1', relative: 0.001 },
    },
    {
      name: 'warehouse_parity',
      report: 'data_integrity',
      at: ['shadow', 'phase5', 'checkpoint'],
      sql: {
        database: 'warehouse',
        query: 'select region, orders, revenue from orders_summary where ' + 'version = {{ version }} order by region',
      },
      compare: { against: 'v1', absolute: 0 },
    },
    {
      name: 'error_rate',
      report: 'error_handling',
      at: ['phase5', 'checkpoint', 'sentinel'],
      prometheus: {
        query:
          `(sum(rate(orders_http_requests_total{job="` +
          `${job}",code=~"5.."}[{{ window }}])) or vector(0)) / ` +
          `sum(rate(orders_http_requests_total{job="${job}"}[{{ window }}]))`,
        window: '30s',
      },
      warn: 'result.value > 0.001',
      fail: 'result.value > 0.05',
      onFail: 'rollback',
    },
    {
      name: 'latency',
      report: 'performance',
      at: ['phase5', 'checkpoint'],
      http: { path: '/summary', samples: 5 },
      warn: 'result.avgMs > 100.0',
      fail: 'result.avgMs > 1000.0',
    },
    {
      name: 'own_validation',
      report: 'audit_trail',
      at: ['phase5', 'schedule'],
      command: {
        argv: [
          'python3',
          path.join(REPO, 'test/fixtures/orders-service/validate.py'),
          '--base-url',
          f.urls.v2,
          '--expect-orders',
          '400',
          '--output',
          'own_report.json',
        ],
        reportFile: 'own_report.json',
        format: 'seed-report',
        timeout: '1m',
      },
    },
  ];
}

beforeAll(async () => {
  env = suite.env;
  pgServer = await startPostgres();
  for (const c of CASES) {
    await pgServer.sql(`create database orders_${c}`);
    const url = pgServer.url.replace(/\/postgres$/, `/orders_${c}`);
    process.env[`ORDERS_${c.toUpperCase()}_DB_URL`] = url; // the worker reads it; the plan names only the variable
    fixtures[c] = await createOrdersFixture({ name: `orders-${c}`, env: { ORDERS_DB_URL: url } });
  }
  const targets = CASES.flatMap((c) =>
    (['v1', 'v2'] as const).map((r) => ({ job: `orders-${c}-${r}`, address: `127.0.0.1:${fixtures[c].ports[r]}` })),
  );
  prom = await startPrometheus(targets);
  // V1 serves before the cutover, started the way the plan's process driver will stop it.
  await Promise.all(CASES.map((c) => startService(loadInlinePlan(planOf(c), fixtures[c].workdir), 'v1')));
}, 120_000);
afterAll(async () => {
  await Promise.all(Object.values(fixtures).map((f) => f.cleanup()));
  await prom?.stop();
  await pgServer?.stop();
});

const planOf = (c: (typeof CASES)[number]) => {
  const f = fixtures[c];
  return f.plan(checks(f), {
    prometheus: { address: prom.url },
    databases: { warehouse: { urlEnv: `ORDERS_${c.toUpperCase()}_DB_URL` } },
  });
};

/** Breaks V2 between Phase 4 and Phase 5, as a bad deploy shows itself once it takes traffic. */
async function breakV2(c: (typeof CASES)[number], faults: Record<string, unknown>) {
  const f = fixtures[c];
  fs.writeFileSync(f.faultFile, JSON.stringify(faults));
  // Traffic for Prometheus to measure and for the service to publish (each summary request re-publishes).
  const traffic = async () => {
    for (let i = 0; i < 20; i++)
      await fetch(`${f.urls.v2}/summary`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  };
  await traffic();
  if (!faults.errors) return;
  // Until Prometheus itself sees the rate (two scrapes of the 500 series): then the check can too.
  const job = `orders-${c}-v2`;
  const rate =
    `(sum(rate(orders_http_requests_total{job="` +
    `${job}",code="500"}[30s])) / ` +
    `sum(rate(orders_http_requests_total{job="${job}"}[30s]))) > 0.05`;
  await waitFor(
    `Prometheus to see the injected error rate of ${job}`,
    async () => {
      if ((await prom.query(rate)).length) return true;
      await traffic();
      return false;
    },
    { everyMs: 500 },
  );
}

test('the orders service is cut over by data checks alone, and each check rolls a broken V2 back', async () => {
  const run = (c: (typeof CASES)[number], faults?: Record<string, unknown>) =>
    startCutover(env.client, planOf(c), { autoApprove: true, holdBefore: ['phase5'] })
      .then((h) => {
        handles[c] = h.workflowId;
        return atHold(h, 'phase5', () => (faults ? breakV2(c, faults) : undefined));
      })
      .catch((err: Error) => {
        // which of the five cutovers, and where (e.g. it ended before its hold before Phase 5)
        throw new Error(`the "${c}" cutover: ${err.message}`);
      });
  const handles: Record<string, string> = {};
  const [ok, drift, errors, warehouse, script] = (await Promise.all([
    run('ok'),
    run('drift', { drift: 'east:0.05' }),
    run('errors', { errors: 0.5 }),
    run('warehouse', { warehouse: 'west:3' }),
    run('script', { negative: 'south' }),
  ])) as CutoverView[];

  const failed = (v: CutoverView) =>
    `${v.status} ${v.message} ${v.phases.find((p) => p.id === 'phase5')?.message ?? ''}`;
  expect(failed(ok)).toMatch(/^SUCCESS/);
  const phase5 = ok.phases.find((p) => p.id === 'phase5')!;
  expect(phase5.message).toMatch(/^(PASS|WARN): error_handling (PASS|WARN)/);
  for (const key of ['kpi_calculations', 'data_integrity', 'performance', 'error_handling', 'audit_trail'])
    expect(phase5.message).toContain(`${key} `);

  expect(failed(drift)).toMatch(/^ROLLED_BACK/);
  // the total that moved comes first, then the breakdown group that moved it
  expect(failed(drift)).toMatch(
    /kpi_calculations: totals\.revenue off by [\d.]+% .*, byRegion\.east\.revenue off by 5\.000%/,
  );
  expect(failed(errors)).toMatch(/^ROLLED_BACK/);
  expect(failed(errors)).toMatch(/error_rate: fail: result\.value > 0\.05/);
  expect(failed(warehouse)).toMatch(/^ROLLED_BACK/);
  expect(failed(warehouse)).toMatch(/data_integrity: west\.orders off by/);
  expect(failed(script)).toMatch(/^ROLLED_BACK/);
  expect(failed(script)).toMatch(/audit_trail: .*FAIL/);
  recordHistory(env.address, handles.ok, 'cutover-data-checks.json');
  recordHistory(env.address, handles.errors, 'cutover-data-checks-rolled-back.json');
}, 300_000);
