/** The happy path and the gate, on the real dev server with the real demo pipeline. */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TASK_QUEUE } from '../../domain/names';
import type { CutoverInput, CutoverView } from '../../domain/cutover-model';
import { startService } from '../../activities/service-control';
import { recordHistory } from '../helpers/record-history';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
let seq = 0;

beforeAll(() => (env = suite.env));
beforeEach(async () => {
  fixture = await createDemoFixture();
  await startService(fixture.loaded(), 'v1');
});
afterEach(() => fixture.cleanup());

const start = (input: Partial<CutoverInput>) =>
  env.client.workflow.start('cutoverWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `cutover-test-${process.pid}-${++seq}`,
    args: [{ plan: fixture.plan, startedBy: 'starter', monitor: false, ...input }],
  });
const waitFor = async (handle: { query: (q: string) => Promise<CutoverView> }, pred: (v: CutoverView) => boolean) => {
  for (;;) {
    const view = await handle.query('status');
    if (pred(view)) return view;
    await new Promise((r) => setTimeout(r, 200));
  }
};

test('an auto-approved cutover runs phases 0–5 in order and ends SUCCESS with V2 serving', async () => {
  const handle = await start({ autoApprove: true });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('SUCCESS');
  expect(view.phases.map((p) => [p.id, p.state])).toEqual([
    ['phase0', 'passed'],
    ['gate', 'passed'],
    ['phase1', 'passed'],
    ['phase2', 'passed'],
    ['phase3', 'passed'],
    ['phase4', 'passed'],
    ['phase5', 'passed'],
  ]);
  expect(view.approvals.map((a) => [a.role, a.approver, a.via])).toEqual([
    ['engineering', 'auto-approve', 'auto-approve'],
    ['operations', 'auto-approve', 'auto-approve'],
  ]);
  expect(view.phases.find((p) => p.id === 'phase2')!.message).toMatch(
    /tests PASSED; shadow run: PASS: .*all \d+ fields within/,
  );
  expect(await isUp(fixture.urls.v2)).toBe(true);
  expect(await isUp(fixture.urls.v1)).toBe(false);
  const pointer = JSON.parse(fs.readFileSync(path.join(fixture.workdir, 'active-upstream.json'), 'utf8'));
  expect(pointer).toMatchObject({ active: 'v2', upstream: fixture.urls.v2 });
  const archives = fs.readdirSync(path.join(fixture.workdir, 'backups')).filter((f) => f.endsWith('.tar.gz'));
  // The Phase 1 backup and the final snapshot taken once V1 stopped.
  expect(archives.map((a) => a.includes('.final-'))).toEqual([false, true]);
  const notes = fs.readFileSync(path.join(fixture.workdir, 'notifications.log'), 'utf8');
  expect(notes).toContain('Cutover starting');
  expect(notes).toContain('Cutover Complete ✓ - All validation checks PASS');
  const listed = [];
  for await (const wf of env.client.workflow.list({
    query: `WorkflowId = '${handle.workflowId}' AND CutoverStatus = ` + `'SUCCESS' AND CutoverPhase = 'phase5'`,
  }))
    listed.push(wf.workflowId);
  expect(listed).toEqual([handle.workflowId]);
  recordHistory(env.address, handle.workflowId, 'cutover-success.json');
});

test('a NO-GO at the gate ends ABORTED with V1 never stopped', async () => {
  const handle = await start({});
  await waitFor(handle, (v) => v.status === 'AWAITING_APPROVAL');
  const pid = fs.readFileSync(path.join(fixture.workdir, 'run/loans-v1.pid'), 'utf8');
  await handle.executeUpdate('approve', {
    args: [{ role: 'operations', approver: 'bob', decision: 'NO_GO', comment: 'change freeze' }],
  });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ABORTED');
  expect(view.message).toMatch(/NO-GO; V1 untouched and serving/);
  expect(view.phases.filter((p) => p.state === 'passed').map((p) => p.id)).toEqual(['phase0']);
  expect(fs.readFileSync(path.join(fixture.workdir, 'run/loans-v1.pid'), 'utf8')).toBe(pid);
  expect(await isUp(fixture.urls.v1)).toBe(true);
  expect(
    fs.existsSync(path.join(fixture.workdir, 'backups')) &&
      fs.readdirSync(path.join(fixture.workdir, 'backups')).length,
  ).toBeFalsy();
});

test('every invalid vote is rejected without being recorded, and two valid votes open the gate', async () => {
  const handle = await start({ holdBefore: ['phase1'] });
  await waitFor(handle, (v) => v.status === 'AWAITING_APPROVAL');
  const reject = async (approval: object, reason: RegExp) => {
    const err: any = await handle.executeUpdate('approve', { args: [approval] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(err.cause.message).toMatch(reason);
  };
  await reject({ role: 'finance', approver: 'alice', decision: 'GO' }, /role "finance" does not vote/);
  await reject({ role: 'engineering', approver: 'mallory', decision: 'GO' }, /mallory may not approve for engineering/);
  await reject({ role: 'engineering', approver: 'alice', decision: 'MAYBE' }, /decision must be "GO" or "NO_GO"/);
  await handle.executeUpdate('approve', { args: [{ role: 'engineering', approver: 'alice', decision: 'GO' }] });
  await reject({ role: 'engineering', approver: 'alice', decision: 'GO' }, /already voted/);
  await handle.signal('approveSignal', { role: 'operations', approver: 'mallory', decision: 'GO' });
  const outcome = await handle.executeUpdate('approve', {
    args: [{ role: 'operations', approver: 'bob', decision: 'GO' }],
  });
  expect(outcome).toEqual({ gate: 'go-no-go', outcome: 'GO' });
  const held = await waitFor(handle, (v) => v.heldBefore === 'phase1');
  await reject({ role: 'operations', approver: 'bob', decision: 'GO' }, /already closed/);
  expect(held.approvals.map((a) => `${a.role}:${a.approver}:${a.via}`)).toEqual([
    'engineering:alice:update',
    'operations:bob:update',
  ]);
  expect(held.rejectedApprovals).toEqual([
    expect.objectContaining({ approver: 'mallory', reason: expect.stringMatching(/may not approve/) }),
  ]);
  await handle.signal('abort', { reason: 'test done', by: 'alice' });
  expect(((await handle.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
  expect(await isUp(fixture.urls.v1)).toBe(true);
});

test('the person who started the cutover cannot approve the gate alone', async () => {
  await fixture.cleanup();
  fixture = await createDemoFixture({ mutate: (plan) => plan.approvals.approvers.engineering.push('starter') });
  await startService(fixture.loaded(), 'v1');
  const handle = await start({});
  await waitFor(handle, (v) => v.status === 'AWAITING_APPROVAL');
  await handle.executeUpdate('approve', { args: [{ role: 'engineering', approver: 'starter', decision: 'GO' }] });
  const err: any = await handle
    .executeUpdate('approve', { args: [{ role: 'operations', approver: 'starter', decision: 'GO' }] })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(err.cause.message).toMatch(/started this cutover and may not approve it alone/);
  await handle.signal('abort', { reason: 'test done' });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ABORTED');
  expect(view.approvals).toHaveLength(1);
});
