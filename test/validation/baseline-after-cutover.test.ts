/**
 * The baseline a demo cutover records, used where an operator uses it: after one SUCCESS cutover
 * with the demo plan's own checks (demo/cutover-plan.yaml, on a fixture's ports and folders),
 * `cutover validate` (a real process) and a scheduled validation PASS against what the shadow run
 * recorded, and a saved V1 `/kpis` given as `--baseline` PASSes a clean V2 and FAILs a 0.2% drift.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { CHECK_NAMES } from '../../domain/validation-report';
import { startService } from '../../activities/service-control';
import { baselineStoreFile } from '../../activities/checks/baseline-store';
import { viewOrThrow } from '../../domain/outcome';
import { startLoad, type RunningLoad } from '../../bench/load-generator';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, type DemoFixture } from '../helpers/demo-fixture';
import { withDemoPlanChecks } from '../helpers/demo-plan-checks';
import type { DemoComponents } from '../helpers/demo-components';
import { startCutover } from '../helpers/cutover-runner';
import { cutoverAt } from '../helpers/cutover-cli';
import { scheduledValidation } from '../helpers/scheduled-validation';
import { setFaults } from './validation-helpers';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let f: DemoFixture;
let parts: DemoComponents;
let users: RunningLoad | undefined;
let planFile: string;
let v1Kpis: string;

/** `cutover …` in a child process, with the worker's components (the warehouse URL) in its environment. */
const cutover = (...args: string[]) => cutoverAt(env.address, args, parts.env);

beforeAll(async () => {
  env = suite.env;
  f = await createDemoFixture();
  parts = await withDemoPlanChecks(f);
  planFile = path.join(f.workdir, 'cutover-plan.yaml');
  fs.writeFileSync(planFile, stringify(f.plan));
  await startService(f.loaded(), 'v1');
  // What an operator saves before the cutover: `curl $V1/kpis > v1-kpis.json`.
  v1Kpis = path.join(f.workdir, 'v1-kpis.json');
  fs.writeFileSync(v1Kpis, await (await fetch(`${f.urls.v1}/kpis`)).text());
  // Users of the data route once V2 serves (refused until it starts): the plan's error_rate counts only their
  // requests and is inconclusive under 100 in its 2m window.
  users = startLoad({ url: `${f.urls.v2}/kpis`, rate: 10, connections: 1, maxSeconds: 900 });
}, 120_000);
afterAll(async () => {
  await users?.stop();
  await f?.cleanup();
  await parts?.stop();
}, 360_000);

test("a SUCCESS cutover with the demo plan records the shadow run's V1 answers in the baseline store", async () => {
  const handle = await startCutover(env.client, f.plan, { autoApprove: true });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect([view.status, view.message]).toEqual(['SUCCESS', expect.anything()]);
  const stored = JSON.parse(fs.readFileSync(baselineStoreFile(f.loaded()), 'utf8'));
  expect(stored).toMatchObject({ format: 'cutover-baseline/1', plan: f.plan.name, target: 'v1' });
  expect(stored.source).toBe(`shadow run of ${handle.workflowId}`);
  const checks = new Set(Object.keys(stored.values).map((k) => k.slice(0, k.indexOf(':'))));
  expect([...checks].sort()).toEqual(['kpi_parity', 'warehouse_parity']);
  await parts.prom.waitForData('sum(increase(demo_http_requests_total{job="loans-v2",kind="user"}[2m])) >= 100');
}, 360_000);

test("`cutover validate PLAN --target v2` then PASSes against the recorded baseline; the seed's jq says PASS", async () => {
  const out = path.join(f.workdir, 'report.json');
  const run = await cutover('validate', planFile, '--target', 'v2', '--out', out);
  expect(run.stderr).toBe('');
  expect(run.stdout.trim().split('\n').slice(0, 5)).toEqual(
    CHECK_NAMES.map((n) => expect.stringMatching(new RegExp(`^✓ ${n}\\s+PASS`))),
  );
  expect(run.code).toBe(0);
  expect(execFileSync('jq', ['-r', '.status', out], { encoding: 'utf8' })).toBe('PASS\n');
  // compared, not skipped: every field of both compare checks against the recorded values
  const feeding = JSON.parse(fs.readFileSync(out, 'utf8')).checks.kpi_calculations.metrics;
  const compared = ['kpi_parity', 'warehouse_parity'].map((name) => feeding[name].comparison);
  expect(compared.map((c) => [c.against, c.ok, c.missing.length, c.compared > 10])).toEqual([
    ['baseline', true, 0, true],
    ['baseline', true, 0, true],
  ]);
}, 360_000);

test('a scheduled validation (`cutover schedule create`, then trigger) PASSes on the same baseline', async () => {
  const result = await scheduledValidation(
    env.client,
    env.address,
    planFile,
    `validation-${f.plan.name}-${process.pid}`,
  );
  expect([result.status, result.summary]).toEqual(['PASS', expect.stringMatching(/^PASS: kpi_calculations PASS/)]);
}, 360_000);

test('a saved V1 /kpis as --baseline: said to be a raw answer; PASS for the clean V2, FAIL for a 0.2% drift', async () => {
  const out = path.join(f.workdir, 'report-kpis.json');
  const clean = await cutover('validate', planFile, '--target', 'v2', '--out', out, '--baseline', v1Kpis);
  expect(clean.stdout.split('\n')[0]).toMatch(
    new RegExp(`^baseline ${v1Kpis}: a raw provider answer, used for kpi_parity \\(\\d+ fields\\)$`),
  );
  expect(clean.code).toBe(0);

  await setFaults(f.urls.v2, { kpiDrift: { kpi: 'par30', relative: 0.002 } });
  const drifted = await cutover('validate', planFile, '--target', 'v2', '--out', out, '--baseline', v1Kpis);
  expect(drifted.code).toBe(11);
  expect(drifted.stdout).toMatch(/✗ kpi_calculations\s+FAIL\s+.*par30/);
  expect(JSON.parse(fs.readFileSync(out, 'utf8')).checks.kpi_calculations.status).toBe('FAIL');
}, 360_000);
