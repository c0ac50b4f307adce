/**
 * Baselines on a service that is not the demo (test/fixtures/orders-service, its own API under
 * /api and its team's script): after a SUCCESS cutover `cutover validate` and a scheduled
 * validation PASS against what the shadow run recorded, and a saved V1 `/api/summary` given as
 * `--baseline` PASSes a clean V2 and FAILs a 0.2% drift in one region's revenue.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { viewOrThrow } from '../../domain/outcome';
import { loadInlinePlan } from '../../activities/plan-loader';
import { startService } from '../../activities/service-control';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { REPO } from '../helpers/demo-fixture';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { startCutover } from '../helpers/cutover-runner';
import { cutoverAt } from '../helpers/cutover-cli';
import { scheduledValidation } from '../helpers/scheduled-validation';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let f: OrdersFixture;
let plan: Record<string, any>;
let planFile: string;
let v1Summary: string;

/** The orders team's checks, each at the steady-state moment too (`schedule`, which `cutover validate` runs). */
const checks = () => [
  {
    name: 'health',
    report: 'error_handling',
    at: ['shadow', 'phase5', 'checkpoint', 'schedule'],
    http: { path: '/health', extract: 'status' },
    pass: 'result.value == "ok"',
  },
  {
    name: 'summary_parity',
    report: 'kpi_calculations',
    at: ['shadow', 'phase5', 'checkpoint', 'schedule'],
    http: { path: '/summary' },
    compare: { against: 'v1', relative: 0.001 },
  },
  {
    name: 'latency',
    report: 'performance',
    at: ['phase5', 'schedule'],
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
        '{{ baseUrl }}',
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

beforeAll(async () => {
  env = suite.env;
  f = await createOrdersFixture({ name: 'orders-baseline' });
  plan = f.plan(checks());
  planFile = path.join(f.workdir, 'orders-plan.yaml');
  fs.writeFileSync(planFile, stringify(plan));
  await startService(loadInlinePlan(plan, f.workdir), 'v1');
  // `curl $V1/api/summary > v1-summary.json`, before V1 is stopped
  v1Summary = path.join(f.workdir, 'v1-summary.json');
  fs.writeFileSync(v1Summary, await (await fetch(`${f.urls.v1}/summary`)).text());
}, 120_000);
afterAll(() => f?.cleanup());

test('after a SUCCESS cutover, `cutover validate` and a scheduled validation PASS on the recorded baseline', async () => {
  const handle = await startCutover(env.client, plan, { autoApprove: true });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect([view.status, view.message]).toEqual(['SUCCESS', expect.anything()]);

  const out = path.join(f.workdir, 'report.json');
  const run = await cutoverAt(env.address, ['validate', planFile, '--target', 'v2', '--out', out]);
  expect(run.stderr).toBe('');
  expect(run.stdout).toMatch(/✓ kpi_calculations\s+PASS\s+all \d+ fields within 0\.100%/);
  expect(run.code).toBe(0);
  expect(execFileSync('jq', ['-r', '.status', out], { encoding: 'utf8' })).toBe('PASS\n');
  const compared = JSON.parse(fs.readFileSync(out, 'utf8')).checks.kpi_calculations.metrics.comparison;
  expect(compared).toMatchObject({ against: 'baseline', ok: true, missing: [] });

  const result = await scheduledValidation(env.client, env.address, planFile, `validation-orders-${process.pid}`);
  expect([result.status, result.summary]).toEqual([
    'PASS',
    expect.stringMatching(/kpi_calculations PASS \(max 0\.0000%\)/),
  ]);
}, 360_000);

test('a saved V1 /api/summary as --baseline: said to be a raw answer; PASS clean, FAIL with 0.2% drift in east', async () => {
  const out = path.join(f.workdir, 'report-summary.json');
  const clean = await cutoverAt(env.address, ['validate', planFile, '--out', out, '--baseline', v1Summary]);
  expect(clean.stdout.split('\n')[0]).toMatch(
    new RegExp(`^baseline ${v1Summary}: a raw provider answer, used for summary_parity \\(\\d+ fields\\)$`),
  );
  expect(clean.code).toBe(0);

  fs.writeFileSync(f.faultFile, JSON.stringify({ drift: 'east:0.002' }));
  const drifted = await cutoverAt(env.address, ['validate', planFile, '--out', out, '--baseline', v1Summary]);
  expect(drifted.stdout).toMatch(/✗ kpi_calculations\s+FAIL\s+.*byRegion\.east\.revenue off by 0\.200%/);
  expect(drifted.code).toBe(11);
}, 360_000);
