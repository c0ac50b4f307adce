/**
 * Many cutovers at once, safely: a second cutover of a running plan (or of a service at the same
 * host and port) ends ABORTED at once with the first one's id and nothing changed, whoever started
 * it; the lock is released when the first ends, however it ends; a running monitoring of the plan
 * holds it too; no lock shows in the cutover's namespace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { lockKeys, lockNamespace } from '../../domain/lock-keys';
import type { CutoverView } from '../../domain/cutover-model';
import { startService, stopService } from '../../activities/service-control';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { temporal } from '../hostile/temporal-cli';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
beforeAll(async () => {
  env = suite.env;
  fixture = await createDemoFixture();
  await startService(fixture.loaded(), 'v1');
}, 60_000);
afterAll(async () => {
  await stopService(fixture.loaded(), 'v1').catch(() => undefined);
  await fixture.cleanup();
});

const backups = () =>
  fs.existsSync(path.join(fixture.workdir, 'backups')) ? fs.readdirSync(path.join(fixture.workdir, 'backups')) : [];

test(
  'a second cutover of a running plan is refused with the first ' +
    "one's id, from the client and from the temporal CLI",
  async () => {
    const first = await startCutover(env.client, fixture.plan, { holdBefore: ['phase0'] });
    await waitForStatus(first, (v) => v.heldBefore === 'phase0');

    const second = (await (await startCutover(env.client, fixture.plan)).result().catch(viewOrThrow)) as CutoverView;
    expect(second.status).toBe('ABORTED');
    expect(second.message).toBe(
      `nothing changed: another cutover of plan ${fixture.plan.name} ` + `is running: ${first.workflowId}`,
    );

    // Started the way an operator would from the `temporal` CLI (the UI sends the same request).
    const id = uniqueId('cutover-by-cli');
    const started = await temporal(env.address, [
      'workflow',
      'start',
      '--task-queue',
      'cutover',
      '--type',
      'cutoverWorkflow',
      '--workflow-id',
      id,
      '--input',
      JSON.stringify({ plan: fixture.plan, startedBy: 'bob', monitor: false }),
    ]);
    expect(started.code).toBe(0);
    const third = (await env.client.workflow.getHandle(id).result().catch(viewOrThrow)) as CutoverView;
    expect(third).toMatchObject({
      status: 'ABORTED',
      message: `nothing changed: another cutover of plan ${fixture.plan.name} ` + `is running: ${first.workflowId}`,
    });

    // Another plan name for the same V1 endpoint is the same service: refused too.
    const renamed = { ...fixture.plan, name: 'loans-renamed' };
    const fourth = (await (await startCutover(env.client, renamed)).result().catch(viewOrThrow)) as CutoverView;
    expect(fourth.status).toBe('ABORTED');
    expect(fourth.message).toMatch(
      new RegExp(
        `^nothing changed: another cutover of a service at ` + `127\\.0\\.0\\.1:\\d+ is running: ${first.workflowId}$`,
      ),
    );
    expect(await isUp(fixture.urls.v1)).toBe(true);
    expect(backups()).toEqual([]);

    // The first still runs as if nothing happened; once it ends, its locks are gone.
    await first.signal('abort', { reason: 'test done', by: 'alice' });
    expect(((await first.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
    const next = await startCutover(env.client, fixture.plan, { holdBefore: ['phase0'] });
    await waitForStatus(next, (v) => v.heldBefore === 'phase0');
    await next.signal('abort', { reason: 'test done', by: 'alice' });
    expect(((await next.result().catch(viewOrThrow)) as CutoverView).message).toMatch(/test done; V1 untouched/);
  },
);

test(
  'the locks live in their own namespace and a lock whose holder ' +
    'was terminated is taken over, also one started by hand',
  async () => {
    const locks = new Client({ connection: env.client.connection, namespace: lockNamespace('default') });
    const [planLock] = lockKeys(fixture.loaded().plan);
    const holderOf = async () =>
      ((await locks.workflow.getHandle(planLock).describe()).memo?.holder as { workflowId: string } | undefined)
        ?.workflowId;
    const first = await startCutover(env.client, fixture.plan, { holdBefore: ['phase0'] });
    await waitForStatus(first, (v) => v.heldBefore === 'phase0');
    expect(await holderOf()).toBe(first.workflowId);
    // Nothing of the locks in the cutover's namespace, where the UI lists workflows.
    const rows: string[] = [];
    for await (const wf of env.client.workflow.list()) rows.push(wf.workflowId);
    expect(rows).toContain(first.workflowId);
    expect(rows.filter((id) => id.startsWith('cutover-lock:'))).toEqual([]);

    // Terminated by hand, the cutover runs no code: its locks stay RUNNING, but hold nothing.
    await first.terminate('test: gone without releasing');
    const second = await startCutover(env.client, fixture.plan, { holdBefore: ['phase0'] });
    await waitForStatus(second, (v) => v.heldBefore === 'phase0');
    expect(await holderOf()).toBe(second.workflowId);
    await second.signal('abort', { reason: 'test done', by: 'alice' });
    expect(((await second.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
    // Released at its end: the lock is closed, not left for the next taker to clean up.
    expect((await locks.workflow.getHandle(planLock).describe()).status.name).toBe('TERMINATED');

    // A workflow started by hand under a lock's id (no holder in its memo) holds nothing either.
    await locks.workflow.start('cutoverLock', { taskQueue: 'anything', workflowId: planLock });
    const third = await startCutover(env.client, fixture.plan, { holdBefore: ['phase0'] });
    await waitForStatus(third, (v) => v.heldBefore === 'phase0');
    expect(await holderOf()).toBe(third.workflowId);
    await third.signal('abort', { reason: 'test done', by: 'alice' });
    await third.result().catch(viewOrThrow);
  },
);

test('a running monitoring of the plan holds the plan', async () => {
  const monitoringId = uniqueId('by-hand') + '-monitoring';
  const monitoring = await env.client.workflow.start('monitoringWorkflow', {
    taskQueue: 'cutover',
    workflowId: monitoringId,
    args: [{ plan: fixture.plan, cutoverId: 'by-hand' }],
  });
  // Visibility is eventually consistent: wait until a search by plan sees the monitoring.
  for (;;) {
    const found: string[] = [];
    for await (const wf of env.client.workflow.list({
      query:
        `WorkflowType = 'monitoringWorkflow' AND ExecutionStatus = ` +
        `'Running' AND CutoverPlan = '${fixture.plan.name}'`,
    }))
      found.push(wf.workflowId);
    if (found.includes(monitoringId)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const refused = (await (await startCutover(env.client, fixture.plan)).result().catch(viewOrThrow)) as CutoverView;
  expect(refused.status).toBe('ABORTED');
  expect(refused.message).toBe(
    `nothing changed: the ` +
      `${fixture.loaded().plan.monitoring.duration} monitoring of plan ` +
      `${fixture.plan.name} is running and can still roll it back: ` +
      `${monitoringId} (wait for its end, or end it first)`,
  );
  await monitoring.terminate('test done');
});
