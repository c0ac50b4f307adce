/**
 * Failures in every phase, on the dev server with the real demo pipeline: phases 0–2 end ABORTED
 * with V1 never stopped; phases 3–5 end ROLLED_BACK with V1 healthy and V2 stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { recordHistory } from '../helpers/record-history';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { demoFixturePerTest, isUp, type DemoFixture, type FixtureOptions } from '../helpers/demo-fixture';
import { atHold, startCutover, waitForStatus } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;

beforeAll(() => (env = suite.env));

async function withV1Running(opts: FixtureOptions = {}) {
  fixture = await fixtures.withV1Running(opts);
  return fixture;
}
const v1Pid = (f: DemoFixture) => fs.readFileSync(path.join(f.workdir, 'run/loans-v1.pid'), 'utf8');
const phaseStates = (view: CutoverView) => Object.fromEntries(view.phases.map((p) => [p.id, p.state]));

async function expectAbortedWithV1Untouched(
  f: DemoFixture,
  view: CutoverView,
  pid: string,
  failedPhase: string,
  message: RegExp,
) {
  expect(view.status).toBe('ABORTED');
  expect(phaseStates(view)[failedPhase]).toBe('failed');
  expect(view.message).toMatch(message);
  expect(view.message).toMatch(/V1 untouched and serving/);
  expect(v1Pid(f)).toBe(pid);
  expect(await isUp(f.urls.v1)).toBe(true);
  expect(await isUp(f.urls.v2)).toBe(false);
}

/** `phase` failed, or was never started when the stop came while the cutover was held before it. */
async function expectRolledBack(
  f: DemoFixture,
  view: CutoverView,
  phase: string,
  message: RegExp,
  phaseState = 'failed',
) {
  expect(view.status).toBe('ROLLED_BACK');
  expect(phaseStates(view)[phase]).toBe(phaseState);
  expect(view.message).toMatch(message);
  expect(view.rollback).toMatchObject({ status: 'ROLLED_BACK', workflowId: `${view.cutoverId}-rollback` });
  expect(await isUp(f.urls.v1)).toBe(true);
  expect(await isUp(f.urls.v2)).toBe(false);
}

test('Phase 0 fails when V1 is not healthy, and nothing is touched', async () => {
  fixture = await fixtures.create();
  const view = (await (
    await startCutover(env.client, fixture.plan, { autoApprove: true })
  )
    .result()
    .catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ABORTED');
  expect(phaseStates(view).phase0).toBe('failed');
  expect(view.message).toMatch(/V1 healthy/);
  expect(
    fs.existsSync(path.join(fixture.workdir, 'backups')) && fs.readdirSync(path.join(fixture.workdir, 'backups')),
  ).toEqual([]);
});

test('Phase 1 fails when the backup folder cannot be written, and V1 is never stopped', async () => {
  const f = await withV1Running();
  const pid = v1Pid(f);
  const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase1'] });
  const view = await atHold(handle, 'phase1', () => {
    fs.rmSync(path.join(f.workdir, 'backups'), { recursive: true, force: true });
    fs.writeFileSync(path.join(f.workdir, 'backups'), 'not a folder');
  });
  await expectAbortedWithV1Untouched(f, view, pid, 'phase1', /failed before anything changed/);
});

test('Phase 2 fails when V2 computes different KPIs than V1 in the shadow run, and V2 is stopped again', async () => {
  const f = await withV1Running({ v2Env: { DEMO_FAULT_KPI_DRIFT: 'par30:0.05' } });
  const pid = v1Pid(f);
  const view = (await (
    await startCutover(env.client, f.plan, { autoApprove: true })
  )
    .result()
    .catch(viewOrThrow)) as CutoverView;
  await expectAbortedWithV1Untouched(
    f,
    view,
    pid,
    'phase2',
    /V2 shadow run differs from V1: kpi_calculations v2 FAIL .* par30 off by 5\.000%/,
  );
});

test('Phase 3 fails when V1 refuses to stop, and the rollback leaves V1 serving', async () => {
  const f = await withV1Running();
  // Now V1 is handed to a service manager whose stop is refused (the exec driver runs the plan's
  // commands); V1 itself keeps running, as a service whose stop was denied would.
  f.plan.services.v1 = {
    name: 'loans-v1',
    driver: 'exec',
    start: ['true'],
    stop: ['sh', '-c', 'echo "Failed to stop loans-v1.service: Access denied" >&2; exit 4'],
    status: ['curl', '-sf', `${f.urls.v1}/health`],
    baseUrl: f.urls.v1,
    stopGrace: '1s',
  };
  const view = (await (
    await startCutover(env.client, f.plan, { autoApprove: true })
  )
    .result()
    .catch(viewOrThrow)) as CutoverView;
  await expectRolledBack(f, view, 'phase3', /Access denied/);
});

test('Phase 4 fails when V2 cannot start on its data, and the rollback restores the backup and V1', async () => {
  const f = await withV1Running();
  const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase4'] });
  const view = await atHold(handle, 'phase4', () => fs.rmSync(path.join(f.workdir, 'data/loans.col')));
  await expectRolledBack(f, view, 'phase4', /loans-v2/);
  expect(fs.existsSync(path.join(f.workdir, 'data/loans.col'))).toBe(true);
});

test('Phase 5 fails when V2 drifts after activation, and the rollback switches traffic back to V1', async () => {
  const f = await withV1Running();
  const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase5'] });
  const view = await atHold(handle, 'phase5', async () => {
    const res = await fetch(`${f.urls.v2}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kpiDrift: { kpi: 'defaultRate', relative: 0.02 } }),
    });
    expect(res.ok).toBe(true);
  });
  await expectRolledBack(f, view, 'phase5', /defaultRate off by 2\.000%/);
  // the failed validation's report keys stay in the view (what the run metrics export)
  expect(view.validations).toEqual([
    expect.objectContaining({
      label: 'phase5',
      target: 'v2',
      status: 'FAIL',
      checks: expect.objectContaining({ kpi_calculations: 'FAIL' }),
    }),
  ]);
  const pointer = JSON.parse(fs.readFileSync(path.join(f.workdir, 'active-upstream.json'), 'utf8'));
  expect(pointer).toMatchObject({ active: 'v1', upstream: f.urls.v1 });
  recordHistory(env.address, handle.workflowId, 'cutover-rolled-back.json');
  recordHistory(env.address, `${handle.workflowId}-rollback`, 'rollback.json');
});

test('an abort after V1 stopped rolls back instead of leaving nothing serving', async () => {
  const f = await withV1Running();
  const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase4'] });
  await waitForStatus(handle, (v) => v.heldBefore === 'phase4');
  await handle.signal('abort', { reason: 'change window closed', by: 'bob' });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  await expectRolledBack(f, view, 'phase4', /aborted by bob: change window closed/, 'pending');
  expect(phaseStates(view).phase3).toBe('passed');
});

test('a rollback request after activation rolls back', async () => {
  const f = await withV1Running();
  const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase5'] });
  await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
  await handle.signal('rollback', { reason: 'latency regression', by: 'alice' });
  await expectRolledBack(
    f,
    (await handle.result().catch(viewOrThrow)) as CutoverView,
    'phase5',
    /rollback requested by alice: latency regression/,
    'pending',
  );
});

test(
  'a corrupt backup makes the rollback refuse and the cutover ' + 'FAILED, saying what state the services are in',
  async () => {
    const f = await withV1Running();
    const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase5'] });
    const view = await atHold(handle, 'phase5', async () => {
      // The archive the rollback would restore: the final snapshot taken after V1 stopped.
      const archive = fs
        .readdirSync(path.join(f.workdir, 'backups'))
        .find((n) => n.endsWith('.tar.gz') && n.includes('.final-'))!;
      const file = path.join(f.workdir, 'backups', archive);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length >> 1] ^= 0xff;
      fs.writeFileSync(file, bytes);
      await fetch(`${f.urls.v2}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kpiDrift: { kpi: 'all', relative: 0.5 } }),
      });
    });
    expect(view.status).toBe('FAILED');
    expect(view.message).toMatch(
      /rollback failed, needs a human: rollback refused, nothing touched: backup .* is corrupt/,
    );
    expect(view.message).toMatch(/V1 \(loans-v1\) stopped, V2 \(loans-v2\) running/);
    expect(await isUp(f.urls.v2)).toBe(true);
    // The most urgent state is never silent: a critical message with both services and what to do next.
    const critical = fs
      .readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((n) => n.severity === 'critical');
    expect(critical.map((n) => n.text).join('\n')).toMatch(
      /REFUSED, needs a human: .*V1 \(loans-v1\) stopped, V2 \(loans-v2\) running.*Next: .*cutover rollback --plan .* --backup/,
    );
  },
);
