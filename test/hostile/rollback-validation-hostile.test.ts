/**
 * The workflows without signal handlers of their own, sent junk by the real `temporal` CLI while
 * they run: a manual rollback still brings V1 back, a validation still reports, both still answer
 * `status`, and neither history has a failed workflow task.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RollbackView } from '../../domain/rollback-model';
import { TASK_QUEUE } from '../../domain/names';
import { startService } from '../../activities/service-control';
import { backupForCutover } from '../../activities/backup-steps';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { uniqueId } from '../helpers/cutover-runner';
import { cli, JUNK, taskFailures } from './temporal-cli';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
let c: ReturnType<typeof cli>;
beforeAll(async () => {
  env = suite.env;
  c = cli(env.address);
  // V1 answers in 20 ms: a validation's 1,000 timed requests take 20 s, long enough for the junk
  fixture = await createDemoFixture({ v1Env: { DEMO_FAULT_LATENCY_MS: '20' } });
});
afterAll(() => fixture?.cleanup());

/** A handful at once, while the workflow still runs: each signal name with a different kind of junk. */
const junkAt = async (id: string) => {
  const sent = await Promise.all(
    ['abort', 'rollback', 'resume', 'approveSignal', 'abort', 'rollback'].map((name, i) =>
      c.signal(id, name, JUNK[i % JUNK.length].raw),
    ),
  );
  expect(sent.map((r) => r.code)).toEqual(sent.map(() => 0));
  expect((await c.update(id, 'approve', '{}')).err).toMatch(/No registered handler for update: approve/);
};

test('a manual rollback sent junk signals and an update still brings V1 back', async () => {
  const loaded = fixture.loaded();
  await startService(loaded, 'v2');
  await backupForCutover(loaded, 'cutover-hostile-rollback');
  const id = uniqueId('manual-rollback');
  const handle = await env.client.workflow.start('rollbackWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: id,
    args: [{ plan: fixture.plan, reason: 'hostile input test', requestedBy: 'alice' }],
  });
  await junkAt(id);
  expect((await c.status<RollbackView>(id)).reason).toBe('hostile input test');
  const view = (await handle.result().catch(viewOrThrow)) as RollbackView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(await isUp(fixture.urls.v1)).toBe(true);
  expect(await isUp(fixture.urls.v2)).toBe(false);
  expect(await c.status<RollbackView>(id)).toMatchObject({ status: 'ROLLED_BACK' });
  expect(await taskFailures(c, id)).toEqual([]);
});

test('a validation sent junk signals and an update still reports, and answers status', async () => {
  await startService(fixture.loaded(), 'v1');
  const id = uniqueId('validation-hostile');
  const handle = await env.client.workflow.start('validationWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: id,
    // 1,000 timed requests of a V1 that answers in 20 ms: still validating when the junk arrives
    args: [{ plan: { ...fixture.plan, thresholds: { latencySamples: 1000 } }, target: 'v1' }],
  });
  await junkAt(id);
  const result = (await handle.result().catch(viewOrThrow)) as { status: string; reportPath: string };
  expect(['PASS', 'WARN']).toContain(result.status);
  expect(await c.status(id)).toMatchObject({ status: result.status, reportPath: result.reportPath });
  expect(await taskFailures(c, id)).toEqual([]);
});
