/**
 * Cancel and terminate of every workflow type, sent as an operator does (`temporal workflow
 * cancel/terminate`, what the UI's buttons send) to real runs on the dev server: a cancel is a stop
 * the workflow understands (cutover: an abort; monitoring: a recorded CANCELLED end with its report
 * and a notification; rollback: noted, not obeyed; validation: a CANCELLED result), and
 * `cutover status` of any of them never shows a closed run as live.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import type { RollbackView } from '../../domain/rollback-model';
import { TASK_QUEUE } from '../../domain/names';
import { statusKey } from '../../domain/search-attributes';
import { viewOrThrow } from '../../domain/outcome';
import { startService } from '../../activities/service-control';
import { backupForCutover } from '../../activities/backup-steps';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { demoFixturePerTest, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { startMonitoring } from '../helpers/after-cutover';
import { waitFor } from '../helpers/wait-for';
import { cli, cutoverCli, taskFailures, temporal } from '../hostile/temporal-cli';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
beforeAll(() => (env = suite.env));

const CANCELLER = 'alice@ops';
const cancel = async (id: string) =>
  expect((await temporal(env.address, ['workflow', 'cancel', '--workflow-id', id, '--identity', CANCELLER])).err).toBe(
    '',
  );
const terminate = async (id: string, reason: string) =>
  expect(
    (
      await temporal(env.address, [
        'workflow',
        'terminate',
        '--workflow-id',
        id,
        '--reason',
        reason,
        '--identity',
        'bob@ops',
      ])
    ).err,
  ).toBe('');
async function statusText(id: string) {
  const r = await cutoverCli(env.address, ['status', id]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out;
}
const notifications = (f: DemoFixture) =>
  fs
    .readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; severity: string });
const cancelledBy = new RegExp(`cancelled by ${CANCELLER} at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z`);
const terminatedAt = (reason: string, lastState: string) =>
  new RegExp(
    `STATUS: TERMINATED at \\d{4}-\\d\\d-\\d\\d ` +
      `\\d\\d:\\d\\d:\\d\\d UTC by bob@ops: ${reason} \\(last state: ${lastState}\\)`,
  );

/**
 * The run itself ended the documented way (COMPLETED with its view, or FAILED with a typed failure
 * carrying it: domain/outcome.ts), and said its end in CutoverStatus.
 */
async function expectRecordedEnd(handle: WorkflowHandle, status: string, execution: 'COMPLETED' | 'FAILED') {
  const d = await handle.describe();
  expect(d.status.name).toBe(execution);
  expect(d.typedSearchAttributes.get(statusKey)).toBe(status);
  expect(await taskFailures(cli(env.address), handle.workflowId)).toEqual([]);
}

async function pendingActivity(handle: WorkflowHandle, type: RegExp) {
  await waitFor(`an activity ${type} of ${handle.workflowId} running`, async () => {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') throw new Error(`${handle.workflowId} ended ${d.status.name} first`);
    return (d.raw.pendingActivities ?? []).some((a) => type.test(a.activityType?.name ?? ''));
  });
}

async function withV1Running() {
  fixture = await fixtures.withV1Running();
  return fixture;
}

/** Ten minutes of monitoring with a sentinel every 2 s: it is still running whenever the test acts. */
const SENTINEL_ONLY = {
  duration: '10m',
  cadence: [{ until: '10m', every: '5m' }],
  sentinelEvery: '2s',
  summaryEvery: '10m',
  decisionPoints: [],
};
async function runningMonitoring() {
  fixture = await fixtures.create({
    mutate: (plan) =>
      Object.assign(plan, { monitoring: SENTINEL_ONLY, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
  });
  const handle = await startMonitoring(env.client, fixture, 'cutover-cancel');
  for (;;) {
    if ((await handle.query<MonitoringView>('status')).next) return { handle, f: fixture };
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runningRollback() {
  fixture = await fixtures.create();
  const loaded = fixture.loaded();
  await startService(loaded, 'v2');
  await backupForCutover(loaded, 'cutover-cancel-rollback');
  const handle = await env.client.workflow.start('rollbackWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: uniqueId('manual-rollback'),
    args: [{ plan: fixture.plan, reason: 'V2 misbehaves', requestedBy: 'carol' }],
  });
  // in the middle of its steps: the backup is verified, V1 not yet started
  for (;;) {
    if ((await handle.query<RollbackView>('status')).steps.length) return { handle, f: fixture };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A validation of a V1 that answers in 200 ms, timed over 1,000 requests: still validating when the test acts. */
async function runningValidation() {
  fixture = await fixtures.withV1Running({ v1Env: { DEMO_FAULT_LATENCY_MS: '200' } });
  const handle = await env.client.workflow.start('validationWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: uniqueId('validation-cancel'),
    args: [{ plan: { ...fixture.plan, thresholds: { latencySamples: 1000 } }, target: 'v1' }],
  });
  await pendingActivity(handle, /validat/i);
  return { handle, f: fixture };
}

test('a cancel at the GO/NO-GO gate is an abort by whoever sent it: ABORTED, V1 untouched, told', async () => {
  const f = await withV1Running();
  const pid = fs.readFileSync(path.join(f.workdir, 'run/loans-v1.pid'), 'utf8');
  const handle = await startCutover(env.client, f.plan);
  await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
  await cancel(handle.workflowId);
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ABORTED');
  expect(view.message).toMatch(new RegExp(`^${cancelledBy.source}; V1 untouched and serving`));
  expect(view.stopRequest).toMatchObject({ kind: 'abort', reason: expect.stringMatching(cancelledBy) });
  expect(view.phases.find((p) => p.id === 'gate')!.state).toBe('failed');
  expect(fs.readFileSync(path.join(f.workdir, 'run/loans-v1.pid'), 'utf8')).toBe(pid);
  expect(await isUp(f.urls.v1)).toBe(true);
  expect(notifications(f)).toContainEqual(
    expect.objectContaining({
      severity: 'warning',
      text: expect.stringMatching(new RegExp(`ABORTED: ${cancelledBy.source}\\. V1 untouched`)),
    }),
  );
  await expectRecordedEnd(handle, 'ABORTED', 'FAILED');
  const out = await statusText(handle.workflowId);
  expect(out).toMatch(/^STATUS: ABORTED$/m);
  expect(out).toMatch(cancelledBy);
});

test('a cancel after Phase 3 rolls back, as an abort does: ROLLED_BACK with V1 serving', async () => {
  const f = await withV1Running();
  const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase4'] });
  await waitForStatus(handle, (v) => v.heldBefore === 'phase4');
  await cancel(handle.workflowId);
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(view.phases.find((p) => p.id === 'phase3')!.state).toBe('passed');
  expect(view.message).toMatch(new RegExp(`^${cancelledBy.source}; rolled back: V1 serving`));
  expect(view.rollback).toMatchObject({ status: 'ROLLED_BACK', workflowId: `${handle.workflowId}-rollback` });
  expect(await isUp(f.urls.v1)).toBe(true);
  expect(await isUp(f.urls.v2)).toBe(false);
  await expectRecordedEnd(handle, 'ROLLED_BACK', 'FAILED');
  expect(await statusText(handle.workflowId)).toMatch(/^STATUS: ROLLED_BACK$/m);
  // the rollback's own status (its view has no phases)
  expect(await statusText(`${handle.workflowId}-rollback`)).toMatch(
    /^STATUS: ROLLED_BACK in .+ — V1 serving \(cancelled by alice@ops/m,
  );
}, 240_000);

test(
  'a cancelled monitoring ends CANCELLED with who and when, its ' +
    'report and a notification; V2 keeps serving, the plan is free',
  async () => {
    const { handle, f } = await runningMonitoring();
    const before = new Date().toISOString();
    await cancel(handle.workflowId);
    const view = (await handle.result().catch(viewOrThrow)) as MonitoringView;
    expect(view.status).toBe('CANCELLED');
    expect(view.cancelRequest).toMatchObject({ by: CANCELLER });
    expect(view.cancelRequest!.at >= before.slice(0, 19)).toBe(true);
    expect(view.message).toMatch(new RegExp(`^${cancelledBy.source}; V2 keeps serving; uptime`));
    expect(view.openDecision).toBeUndefined();
    expect(await isUp(f.urls.v2)).toBe(true);
    expect(await isUp(f.urls.v1)).toBe(false);
    // the report, as at a normal end
    expect(JSON.parse(fs.readFileSync(view.report!.json, 'utf8'))).toMatchObject({
      status: 'CANCELLED',
      message: view.message,
    });
    expect(fs.readFileSync(view.report!.markdown, 'utf8')).toMatch(/Monitoring ended: CANCELLED after/);
    const told = notifications(f).filter((n) => /CANCELLED/.test(n.text));
    expect(told).toEqual([
      expect.objectContaining({
        severity: 'warning',
        text: expect.stringMatching(
          new RegExp(
            `^Monitoring of ${view.cutoverId} CANCELLED at .+: ` +
              `${cancelledBy.source}; V2 keeps serving.+Report: ${view.report!.markdown}`,
          ),
        ),
      }),
    ]);
    await expectRecordedEnd(handle, 'CANCELLED', 'FAILED');
    const out = await statusText(handle.workflowId);
    expect(out).toMatch(new RegExp(`^STATUS: CANCELLED — ${cancelledBy.source}`, 'm'));
    expect(out).not.toMatch(/next:/);
    // Its hold on the plan ends with it: no running monitoring of the plan for the next cutover to meet.
    const query =
      `WorkflowType = 'monitoringWorkflow' AND ExecutionStatus = ` + `'Running' AND CutoverPlan = '${f.plan.name}'`;
    for (;;) {
      const running: string[] = [];
      for await (const wf of env.client.workflow.list({ query })) running.push(wf.workflowId);
      if (!running.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  },
  240_000,
);

test('a rollback is not cancellable: the cancel is noted and told, and V1 comes back', async () => {
  const { handle, f } = await runningRollback();
  await cancel(handle.workflowId);
  const view = (await handle.result().catch(viewOrThrow)) as RollbackView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(view.cancelRequest).toMatchObject({ by: CANCELLER });
  expect(view.message).toMatch(
    new RegExp(
      `^V1 serving \\(V2 misbehaves\\) \\(${cancelledBy.source}: a ` +
        `rollback is not cancellable: it goes on to its end\\)$`,
    ),
  );
  expect(view.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
    'verify backup:passed',
    'switch traffic to V1:passed',
    'stop V2:passed',
    'restore backup:passed',
    'start V1:passed',
  ]);
  expect(await isUp(f.urls.v1)).toBe(true);
  expect(await isUp(f.urls.v2)).toBe(false);
  expect(notifications(f)).toContainEqual(
    expect.objectContaining({
      severity: 'warning',
      text: expect.stringMatching(
        new RegExp(`${cancelledBy.source}; a rollback is not cancellable: it goes on to its end`),
      ),
    }),
  );
  await expectRecordedEnd(handle, 'ROLLED_BACK', 'COMPLETED');
  expect(await statusText(handle.workflowId)).toMatch(
    /^STATUS: ROLLED_BACK in .+ — V1 serving \(V2 misbehaves\) \(cancelled by alice@ops/m,
  );
}, 240_000);

test('a cancelled validation ends with a recorded CANCELLED result', async () => {
  const { handle } = await runningValidation();
  await cancel(handle.workflowId);
  const result = (await handle.result().catch(viewOrThrow)) as { status: string; summary: string };
  expect(result).toEqual({
    status: 'CANCELLED',
    summary: expect.stringMatching(new RegExp(`^${cancelledBy.source}; stopped while validating v1$`)),
  });
  expect(await handle.query('status')).toMatchObject({ status: 'CANCELLED', message: result.summary });
  await expectRecordedEnd(handle, 'CANCELLED', 'FAILED');
  expect(await statusText(handle.workflowId)).toMatch(new RegExp(`^STATUS: CANCELLED — ${cancelledBy.source}`, 'm'));
}, 240_000);

test(
  'after a terminate, `cutover status` of a cutover says how it ' + 'ended, never a live status, and its plan is free',
  async () => {
    const f = await withV1Running();
    const handle = await startCutover(env.client, f.plan);
    await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
    await terminate(handle.workflowId, 'window closed');
    const out = await statusText(handle.workflowId);
    expect(out).toMatch(terminatedAt('window closed', 'AWAITING_APPROVAL, phase gate'));
    expect(out).not.toMatch(/GO\/NO-GO: waiting/);
    // the plan's lock went with its holder: the next cutover of the plan gets to its gate
    const next = await startCutover(env.client, f.plan);
    await waitForStatus(next, (v) => v.status === 'AWAITING_APPROVAL');
    await next.signal('abort', { reason: 'test done', by: 'bob' });
    expect(((await next.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
    const watch = await cutoverCli(env.address, ['watch', handle.workflowId]);
    expect(watch.code).toBe(5);
    expect(watch.out).toMatch(
      /STATUS: FAILED — the workflow ended without a result: TERMINATED at .+ by bob@ops: window closed/,
    );
  },
  240_000,
);

test(
  'after a terminate, `cutover status` of a monitoring, a ' +
    'rollback and a validation says TERMINATED with its last state',
  async () => {
    const monitoring = await runningMonitoring();
    await terminate(monitoring.handle.workflowId, 'done by hand');
    expect(await statusText(monitoring.handle.workflowId)).toMatch(terminatedAt('done by hand', 'MONITORING'));
    await monitoring.f.cleanup();

    const rollback = await runningRollback();
    await terminate(rollback.handle.workflowId, 'wrong plan');
    expect(await statusText(rollback.handle.workflowId)).toMatch(terminatedAt('wrong plan', 'RUNNING'));
    await rollback.f.cleanup();

    const validation = await runningValidation();
    await terminate(validation.handle.workflowId, 'too slow');
    const out = await statusText(validation.handle.workflowId);
    expect(out).toMatch(terminatedAt('too slow', 'RUNNING'));
    expect(out).toMatch(new RegExp(`^${validation.handle.workflowId}  validationWorkflow\\n`));
  },
  240_000,
);
