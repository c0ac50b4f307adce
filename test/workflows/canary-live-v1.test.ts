/**
 * Canary analysis against V1 live, on a service that is not the demo (the orders service) behind
 * one real HAProxy: each step compares V2 with V1 read at that moment while V1 takes the rest of
 * the traffic, and the step's record says what each measured. V2 breaking between steps fails the
 * next step: HAProxy reads back V2 weight 0 (as before the cutover), V1 answering through it.
 * A canary that succeeds: its monitoring reads who serves from the router at each moment, into the
 * report. blueGreen with `sharedData`: the snapshot before the switch is restored by a rollback in
 * the bake. CUTOVER_RECORD_HISTORIES=1 records the runs for the replay suite (test/replay/histories).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { startService, stopService } from '../../activities/service-control';
import { readTrafficState } from '../../activities/traffic';
import { haproxyCommand } from '../../activities/traffic/haproxy-socket';
import { recordHistory } from '../helpers/record-history';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { isUp } from '../helpers/demo-fixture';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { startHaproxy, type HaproxyRouter } from '../helpers/haproxy';
import { versionsSeen } from '../helpers/version-backends';
import { loadInlinePlan } from '../../activities/plan-loader';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let orders: OrdersFixture;
let haproxy: HaproxyRouter;
const BEFORE = { v1: 'ready', v2: 'maint' };

const CHECKS = [
  {
    name: 'summary_parity',
    report: 'kpi_calculations',
    at: ['shadow', 'phase5'],
    http: { path: '/summary' },
    compare: { against: 'v1', relative: 0.001 },
  },
  {
    name: 'latency',
    report: 'performance',
    at: ['phase5', 'checkpoint'],
    http: { path: '/summary', samples: 3 },
    fail: 'result.avgMs > 2000.0',
  },
  {
    name: 'health',
    report: 'error_handling',
    at: ['checkpoint', 'sentinel'],
    http: { path: '/health', extract: 'status' },
    pass: 'result.value == "ok"',
  },
];
/** A monitoring of seconds: two validations, one decision point, then the report. */
const SHORT_MONITORING = {
  duration: '6s',
  cadence: [{ until: '6s', every: '3s' }],
  sentinelEvery: '3s',
  summaryEvery: '6s',
  decisionPoints: [{ at: '3s', label: 'Early look', roles: ['engineering'], timeout: '1s', onTimeout: 'continue' }],
};
const plan = (extra: Record<string, unknown>) =>
  orders.plan(CHECKS, {
    traffic: {
      driver: 'haproxy',
      socket: haproxy.socket,
      backend: 'app',
      servers: { v1: 'v1', v2: 'v2' },
      publicUrl: haproxy.publicUrl,
      verify: { path: '/api/health', timeout: '20s' },
    },
    approvals: {
      allowAutoApprove: true,
      approvers: { engineering: ['alice'], operations: ['bob'], dataQuality: ['carol'] },
      gate: { roles: ['engineering'] },
    },
    ...extra,
  });
const NEW_ORDERS_NAME = 'orders-2.json';
let NEW_ORDERS = '';
const loaded = () => loadInlinePlan(plan({}), orders.workdir);
const router = async () => (await readTrafficState(loaded()))!.state;
/** waitForStatus that fails at once, with the cutover's message, when the run ended before `pred` held. */
const until = async (handle: WorkflowHandle, pred: (v: CutoverView) => boolean) => {
  const view = await waitForStatus(
    handle,
    (v) => pred(v) || ['SUCCESS', 'ABORTED', 'ROLLED_BACK', 'FAILED'].includes(v.status),
  );
  if (!pred(view)) throw new Error(`the cutover ended ${view.status} first: ${view.message}`);
  return view;
};
const record = (workflowId: string, name: string) => recordHistory(env.address, workflowId, name);

beforeAll(async () => {
  env = suite.env;
  orders = await createOrdersFixture({ name: 'orders-canary' });
  NEW_ORDERS = path.join(orders.workdir, 'data', NEW_ORDERS_NAME);
  haproxy = await startHaproxy({ ...orders.urls, v2Disabled: true, healthPath: '/api/health' });
});
afterAll(async () => {
  await haproxy?.stop();
  await orders?.cleanup();
});
beforeEach(async () => {
  fs.rmSync(orders.faultFile, { force: true });
  fs.rmSync(NEW_ORDERS, { force: true });
  await stopService(loaded(), 'v2');
  await startService(loaded(), 'v1');
  await haproxyCommand(
    haproxy.socket,
    'set server app/v1 weight 100; set server app/v1 state ready; ' +
      'set server app/v2 weight 100; set server app/v2 state maint',
  );
  expect((await router()).servers).toEqual(BEFORE);
});

test(
  'canary: each step compared with V1 live (not the shadow run); ' +
    'V2 worse than live V1 at step 2 → V2 weight 0 read back from ' +
    'HAProxy, V1 serving',
  async () => {
    const steps = [
      { weight: 10, approval: ['operations'] },
      { weight: 50, approval: ['dataQuality'] },
      { weight: 100 },
    ];
    const handle = await startCutover(env.client, plan({ strategy: 'canary', canary: { steps } }));
    await until(handle, (v) => v.status === 'AWAITING_APPROVAL');
    await handle.executeUpdate('approve', { args: [{ role: 'engineering', approver: 'alice', decision: 'GO' }] });
    await until(handle, (v) => /canary step 1\/3 .*waiting for operations/.test(v.message));
    // New orders arrive after the shadow run: V1 and V2 both count them, the shadow's V1 values are stale.
    // Compared with the shadow run this step would FAIL; against V1 read now it passes.
    fs.writeFileSync(NEW_ORDERS, JSON.stringify([{ id: 401, region: 'east', amount: 500 }]));
    await handle.executeUpdate('approve', { args: [{ role: 'operations', approver: 'bob', decision: 'GO' }] });
    const atStep2 = await until(handle, (v) => /canary step 2\/3 .*waiting for dataQuality/.test(v.message));
    const step1 = atStep2.traffic!.steps[0];
    expect(step1).toMatchObject({ label: 'canary step 1/3 (V2 10%)', summary: 'V1 90% · V2 10%' });
    expect(step1.analysis).toMatch(
      /^PASS against V1 live \(2 PASS\): summary_parity PASS: V2 against V1 live: all \d+ fields within/,
    );
    expect(step1.analysis).toMatch(/latency PASS: V2 .+ · V1 (?!not measured)/);
    expect((await router()).weights).toEqual({ v1: 50, v2: 50 });
    // V2 goes wrong while it takes half the traffic: east's revenue +5%, V1 still right (the extra orders gone again,
    // so the rollback's check of V1 against the shadow run holds).
    fs.rmSync(NEW_ORDERS);
    fs.writeFileSync(orders.faultFile, JSON.stringify({ drift: 'east:0.05' }));
    await handle.executeUpdate('approve', { args: [{ role: 'dataQuality', approver: 'carol', decision: 'GO' }] });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('ROLLED_BACK');
    expect(view.message).toMatch(
      /canary step 2\/3 \(V2 50%\): V2 worse than V1 live: kpi_calculations: .*east\.revenue off by 5\.000%/,
    );
    expect(view.traffic!.steps[1].analysis).toMatch(
      /^FAIL against V1 live .*summary_parity FAIL: .*worst byRegion\.east\.revenue: V1 \d+, V2 [\d.]+/,
    );
    const report = JSON.parse(
      fs.readFileSync(path.join(orders.workdir, 'reports', `${handle.workflowId}.canary-step-2.json`), 'utf8'),
    );
    expect(report).toMatchObject({ status: 'FAIL', canary: { step: 2, weight: 50 } });
    const after = await router();
    expect(after.weights).toEqual({ v1: 100, v2: 0 });
    expect(after.servers).toEqual(BEFORE);
    expect(await versionsSeen(`${haproxy.publicUrl}/api`, 3)).toEqual(['v1', 'v1', 'v1']);
    expect(await isUp(orders.urls.v2)).toBe(false);
    record(handle.workflowId, 'cutover-canary-rolled-back.json');
  },
);

test(
  'canary succeeds; its monitoring reads who serves from HAProxy ' +
    'at the start, each validation and decision point, into the report',
  async () => {
    const handle = await startCutover(
      env.client,
      plan({ strategy: 'canary', canary: { steps: [{ weight: 20 }, { weight: 100 }] }, monitoring: SHORT_MONITORING }),
      { autoApprove: true, monitor: true },
    );
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('SUCCESS');
    expect(view.traffic!.steps.map((t) => t.analysis?.slice(0, 28))).toEqual([
      'PASS against V1 live (2 PASS',
      'PASS against V1 live (2 PASS',
      undefined,
    ]);
    const monitoring = env.client.workflow.getHandle(view.monitoringWorkflowId!);
    const done = (await monitoring.result().catch(viewOrThrow)) as MonitoringView;
    expect(done.status).toBe('COMPLETED');
    const readings = done.traffic!.map((t) => `${t.label}: ${t.summary}`);
    expect(readings[0]).toBe('monitoring start: V2 100%');
    expect(readings.some((r) => /Early look: V2 100%$/.test(r))).toBe(true);
    expect(readings.at(-1)).toBe('monitoring end: V2 100%');
    expect(readings.filter((r) => / validation/.test(r)).length).toBeGreaterThanOrEqual(2);
    const report = JSON.parse(fs.readFileSync(done.report!.json, 'utf8'));
    expect(report.traffic.map((t: { summary: string }) => t.summary)).toEqual(readings.map(() => 'V2 100%'));
    expect(fs.readFileSync(done.report!.markdown, 'utf8')).toMatch(
      /## Traffic \(read back from the router\)[\s\S]*\| monitoring start \| V2 100% \|/,
    );
    record(handle.workflowId, 'cutover-canary.json');
    record(monitoring.workflowId, 'monitoring-traffic.json');
  },
);

test(
  'blueGreen with sharedData: the snapshot taken before the ' +
    'switch is restored by a rollback in the bake, V1 never stopped',
  async () => {
    const v1Pid = () => fs.readFileSync(path.join(orders.workdir, 'run/orders-canary-v1.pid'), 'utf8');
    const pidBefore = v1Pid();
    const handle = await startCutover(
      env.client,
      plan({ strategy: 'blueGreen', blueGreen: { bakeTime: '10m', sharedData: true } }),
      { autoApprove: true },
    );
    await until(handle, (v) => !!v.traffic?.bakeUntil);
    // V2 writes into the data both share while it serves; the rollback must put V1's data back as at the switch.
    const written = path.join(orders.workdir, 'data', 'orders-by-v2.json');
    fs.writeFileSync(written, JSON.stringify([{ id: 900, region: 'west', amount: 70 }]));
    await handle.signal('rollback', { reason: 'V2 wrote bad rows during the bake', by: 'alice' });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('ROLLED_BACK');
    const rollback = await env.client.workflow.getHandle(view.rollback!.workflowId).result().catch(viewOrThrow);
    const steps = rollback.steps.map((x: { name: string; message?: string }) => x.name);
    expect(steps.slice(0, 4)).toEqual(['verify backup', 'restore the router', 'stop V2', 'restore backup']);
    expect(rollback.steps[3].message).toMatch(/\.final/);
    expect(fs.existsSync(written)).toBe(false);
    expect(v1Pid()).toBe(pidBefore);
    expect((await router()).servers).toEqual(BEFORE);
    expect(await versionsSeen(`${haproxy.publicUrl}/api`, 3)).toEqual(['v1', 'v1', 'v1']);
    record(handle.workflowId, 'cutover-blue-green-shared-data-rolled-back.json');
  },
);
