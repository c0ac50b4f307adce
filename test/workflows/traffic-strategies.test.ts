/**
 * The strategies on the dev server with the real demo pipeline behind one real HAProxy (shared
 * by the file; its runtime state reset before each test): blueGreen and canary succeed; a
 * rollback during the bake is a switch back with V1 never stopped; a NO-GO at a canary step
 * and a failure after the cutover's switch both put the router back exactly as it was,
 * asserted by reading HAProxy's state back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService, stopService } from '../../activities/service-control';
import { readTrafficState } from '../../activities/traffic';
import { haproxyCommand } from '../../activities/traffic/haproxy-socket';
import { recordHistory } from '../helpers/record-history';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { startHaproxy, type HaproxyRouter } from '../helpers/haproxy';
import { versionsSeen } from '../helpers/version-backends';
import { loadInlinePlan } from '../../activities/plan-loader';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
let haproxy: HaproxyRouter;
const BEFORE = { v1: 'ready', v2: 'maint' };

/** The fixture's plan with a strategy: a copy, so tests do not leak settings into each other. */
function plan(extra: Record<string, unknown>): Record<string, any> {
  return { ...structuredClone(fixture.plan), ...extra };
}
const routerServers = async () => (await readTrafficState(fixture.loaded()))!.state.servers;

beforeAll(async () => {
  env = suite.env;
  fixture = await createDemoFixture();
  haproxy = await startHaproxy({ ...fixture.urls, v2Disabled: true });
  fixture.plan.traffic = {
    driver: 'haproxy',
    socket: haproxy.socket,
    backend: 'app',
    servers: { v1: 'v1', v2: 'v2' },
    publicUrl: haproxy.publicUrl,
    verify: { timeout: '20s' },
  };
});
afterAll(async () => {
  await haproxy?.stop();
  await fixture?.cleanup();
});
// The starting point of every cutover: V1 serving through the router, V2 stopped and in maintenance.
beforeEach(async () => {
  const loaded = fixture.loaded();
  await stopService(loaded, 'v2');
  await startService(loaded, 'v1');
  await haproxyCommand(
    haproxy.socket,
    'set server app/v1 weight 100; set server app/v1 state ready; ' +
      'set server app/v2 weight 100; set server app/v2 state maint',
  );
  expect(await routerServers()).toEqual(BEFORE);
});

test(
  'blueGreen succeeds: V2 started beside V1, switch verified ' +
    'through HAProxy, V1 drained, warm through the bake, then stopped',
  async () => {
    const p = plan({ strategy: 'blueGreen', blueGreen: { bakeTime: '1s' } });
    expect(() => loadInlinePlan(p, fixture.workdir)).not.toThrow();
    const handle = await startCutover(env.client, p, { autoApprove: true });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('SUCCESS');
    expect(view.phases.find((x) => x.id === 'phase3')!.message).toMatch(/keeps serving/);
    expect(view.traffic).toMatchObject({ strategy: 'blueGreen', now: 'V2 100%' });
    expect(view.traffic!.steps.map((s) => s.label)).toEqual(['all traffic → V2', 'V1 retired']);
    expect(view.traffic!.steps[0].verifiedMs).toEqual(expect.any(Number));
    expect(await routerServers()).toEqual({ v1: 'drain', v2: 'ready' });
    expect(await versionsSeen(haproxy.publicUrl, 3)).toEqual(['v2', 'v2', 'v2']);
    expect(await isUp(fixture.urls.v1)).toBe(false);
    recordHistory(env.address, handle.workflowId, 'cutover-blue-green.json');
  },
);

test(
  'blueGreen rollback during the bake is a switch back: router ' + 'restored exactly, V1 never stopped, V2 stopped',
  async () => {
    const v1Pid = () => fs.readFileSync(path.join(fixture.workdir, 'run/loans-v1.pid'), 'utf8');
    const pidBefore = v1Pid();
    const handle = await startCutover(env.client, plan({ strategy: 'blueGreen', blueGreen: { bakeTime: '10m' } }), {
      autoApprove: true,
    });
    await waitForStatus(handle, (v) => !!v.traffic?.bakeUntil);
    expect(await versionsSeen(haproxy.publicUrl, 2)).toEqual(['v2', 'v2']);
    await handle.signal('rollback', { reason: 'latency up during the bake', by: 'alice' });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('ROLLED_BACK');
    const rollback = await env.client.workflow.getHandle(view.rollback!.workflowId).result().catch(viewOrThrow);
    expect(rollback.steps.map((s: { name: string }) => s.name)).toEqual([
      'restore the router',
      'stop V2',
      'V1 answering through the router',
      'V1 KPIs match the pre-cutover baseline',
    ]);
    expect(v1Pid()).toBe(pidBefore);
    expect(await routerServers()).toEqual(BEFORE);
    expect(await versionsSeen(haproxy.publicUrl, 3)).toEqual(['v1', 'v1', 'v1']);
    expect(await isUp(fixture.urls.v2)).toBe(false);
  },
);

test(
  'canary succeeds: V2 10% then 100%, each step read back, seen ' + 'through HAProxy and checked; V1 retired',
  async () => {
    const view = (await (
      await startCutover(
        env.client,
        plan({ strategy: 'canary', canary: { steps: [{ weight: 10 }, { weight: 100 }] } }),
        { autoApprove: true },
      )
    )
      .result()
      .catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('SUCCESS');
    expect(view.traffic!.steps.map((s) => `${s.label}: ${s.summary}`)).toEqual([
      'canary step 1/2 (V2 10%): V1 90% · V2 10%',
      'canary step 2/2 (V2 100%): V2 100%',
      'V1 retired: V1 stopped; V2 100%',
    ]);
    expect(view.phases.find((x) => x.id === 'phase4')!.message).toMatch(/canary 10% PASS → 100% PASS/);
    // each step against V1 read live (the built-in checks: V1's /kpis now, V1's latency beside V2's)
    expect(view.traffic!.steps[0].analysis).toMatch(/kpi_calculations PASS: V2 against V1 live: all \d+ fields within/);
    expect(view.traffic!.steps[0].analysis).toMatch(
      /performance (PASS|WARN): V2 20 × GET \S+: avg [\d.]+ ms.* · V1 20 × GET \S+: avg [\d.]+ ms/,
    );
    expect(await versionsSeen(haproxy.publicUrl, 3)).toEqual(['v2', 'v2', 'v2']);
  },
);

test('a NO-GO at a canary step rolls back: HAProxy reads back exactly as before the cutover, V1 serving', async () => {
  const p = plan({
    strategy: 'canary',
    canary: { steps: [{ weight: 10, approval: ['dataQuality'] }, { weight: 100 }] },
    approvals: { ...fixture.plan.approvals, gate: { roles: ['engineering'] } },
  });
  const handle = await startCutover(env.client, p);
  await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
  await handle.executeUpdate('approve', { args: [{ role: 'engineering', approver: 'alice', decision: 'GO' }] });
  await waitForStatus(handle, (v) => /canary step 1\/2 .*waiting for dataQuality/.test(v.message));
  expect(await routerServers()).toEqual({ v1: 'ready', v2: 'ready' });
  await handle.executeUpdate('approve', {
    args: [{ role: 'dataQuality', approver: 'carol', decision: 'NO_GO', comment: 'error budget burning' }],
  });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(view.message).toMatch(/canary step 1\/2 \(V2 10%\): NO-GO/);
  expect(await routerServers()).toEqual(BEFORE);
  expect((await readTrafficState(fixture.loaded()))!.state.weights).toEqual({ v1: 100, v2: 0 });
  expect(await versionsSeen(haproxy.publicUrl, 3)).toEqual(['v1', 'v1', 'v1']);
  expect(await isUp(fixture.urls.v2)).toBe(false);
});

test(
  'cutover strategy: a failure after the switch restores HAProxy ' + 'exactly; the unserved window is reported',
  async () => {
    const handle = await startCutover(env.client, plan({}), { autoApprove: true, holdBefore: ['phase5'] });
    const held = await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
    expect(held.traffic!.unservedMs).toEqual(expect.any(Number));
    expect(held.phases.find((x) => x.id === 'phase4')!.message).toMatch(/nobody served for \d+\.\d s/);
    expect(await routerServers()).toEqual({ v1: 'drain', v2: 'ready' });
    await fetch(`${fixture.urls.v2}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kpiDrift: { kpi: 'par30', relative: 0.05 } }),
    });
    await handle.signal('resume', { phase: 'phase5' });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('ROLLED_BACK');
    expect(await routerServers()).toEqual(BEFORE);
    expect(await versionsSeen(haproxy.publicUrl, 3)).toEqual(['v1', 'v1', 'v1']);
  },
);
