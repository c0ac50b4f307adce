/**
 * Durability: the worker is a real separate process, SIGKILLed while Phase 3 is stopping V1,
 * then started again. The cutover must finish as if nothing happened. Also: a rollback started
 * by hand after a successful cutover, twice (it is idempotent).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUE } from '../../domain/names';
import type { CutoverView } from '../../domain/cutover-model';
import type { RollbackView } from '../../domain/rollback-model';
import { demoFixturePerTest, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup } from '../helpers/worker-process';
import { devServerWithWorkerProcesses } from '../helpers/dev-server-suite';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorkerProcesses();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
const startWorkerProcess = () => suite.startWorker();
beforeAll(() => (env = suite.env));

test('a worker SIGKILLed during Phase 3 and started again finishes the cutover correctly', async () => {
  // V1 ignores SIGTERM, so Phase 3 stays in its stop activity for the whole grace period.
  fixture = await fixtures.withV1Running({
    v1Env: { DEMO_FAULT_HANG_ON_STOP: '1' },
    mutate: (plan) => (plan.services.v1.stopGrace = '8s'),
  });
  const first = await startWorkerProcess();
  const handle = await startCutover(env.client, fixture.plan, { autoApprove: true });
  await waitForStatus(handle, (v) => v.currentPhase === 'phase3');
  await killGroup(first);
  await startWorkerProcess();

  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('SUCCESS');
  expect(view.phases.map((p) => p.state)).toEqual(Array(7).fill('passed'));
  expect(view.phases.find((p) => p.id === 'phase3')!.message).toMatch(/force-stopped; verified stopped/);
  expect(await isUp(fixture.urls.v1)).toBe(false);
  expect(await isUp(fixture.urls.v2)).toBe(true);
  // The stop was retried on the new worker after the dead one stopped heartbeating.
  const history = await handle.fetchHistory();
  const attempts = history
    .events!.filter((e) => e.activityTaskStartedEventAttributes)
    .map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 0);
  expect(Math.max(...attempts)).toBeGreaterThan(1);
  // One Phase 1 backup and one final snapshot: nothing was done twice.
  expect(fs.readdirSync(path.join(fixture.workdir, 'backups')).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(2);
}, 180_000);

test(
  'a rollback started by hand after a successful cutover brings ' + 'V1 back, and running it again changes nothing',
  async () => {
    fixture = await fixtures.withV1Running();
    await suite.ensureWorker();
    const cutover = (await (
      await startCutover(env.client, fixture.plan, { autoApprove: true })
    )
      .result()
      .catch(viewOrThrow)) as CutoverView;
    expect(cutover.status).toBe('SUCCESS');

    const manual = () =>
      env.client.workflow.execute('rollbackWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: uniqueId('manual-rollback'),
        args: [{ plan: fixture!.plan, reason: 'KPI complaint from finance', requestedBy: 'alice' }],
      }) as Promise<RollbackView>;
    const first = await manual();
    expect(first.status).toBe('ROLLED_BACK');
    expect(first.steps.map((s) => `${s.name}:${s.state}`)).toEqual([
      'verify backup:passed',
      'switch traffic to V1:passed',
      'stop V2:passed',
      'restore backup:passed',
      'start V1:passed',
    ]);
    expect(first.durationMs).toBeGreaterThan(0);
    expect(await isUp(fixture.urls.v1)).toBe(true);
    expect(await isUp(fixture.urls.v2)).toBe(false);
    const pointer = JSON.parse(fs.readFileSync(path.join(fixture.workdir, 'active-upstream.json'), 'utf8'));
    expect(pointer.active).toBe('v1');

    const again = await manual();
    expect(again.status).toBe('ROLLED_BACK');
    expect(await isUp(fixture.urls.v1)).toBe(true);
  },
  180_000,
);
