/**
 * States that need a person are loud: a rollback that cannot even start notifies (critical), and
 * a cutover whose monitoring rolled back says so to whoever looks at the cutover, in the CLI and
 * in a search by plan.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { runCutover } from '../helpers/cutover-cli';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { demoFixturePerTest, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
beforeAll(() => (env = suite.env));

const notifications = (f: DemoFixture) =>
  fs
    .readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; severity: string });

const cli = (...args: string[]) => {
  const r = runCutover(args, { TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' });
  return { status: r.code, stdout: r.out, stderr: r.err };
};

test('a rollback that cannot start ends the cutover FAILED and notifies (critical) with what to do next', async () => {
  fixture = await fixtures.withV1Running();
  const cutoverId = uniqueId('cutover-blocked-rollback');
  // Something else already holds the rollback's workflow id (here: a cutover of another plan, held;
  // one of the same plan or endpoints would be refused by the plan lock).
  const other = {
    ...fixture.plan,
    name: 'blocker',
    services: {
      v1: { ...fixture.plan.services.v1, baseUrl: 'http://127.0.0.1:1' },
      v2: { ...fixture.plan.services.v2, baseUrl: 'http://127.0.0.1:2' },
    },
  };
  const blocker = await env.client.workflow.start('cutoverWorkflow', {
    taskQueue: 'cutover',
    workflowId: `${cutoverId}-rollback`,
    args: [{ plan: other, startedBy: 'x', monitor: false, holdBefore: ['phase0'] }],
  });
  const handle = await env.client.workflow.start('cutoverWorkflow', {
    taskQueue: 'cutover',
    workflowId: cutoverId,
    args: [{ plan: fixture.plan, startedBy: 'starter', monitor: false, autoApprove: true, holdBefore: ['phase5'] }],
  });
  await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
  await handle.signal('rollback', { reason: 'operator saw errors', by: 'alice' });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  await blocker.terminate('test done');
  expect(view.status).toBe('FAILED');
  expect(view.message).toMatch(/rollback failed, needs a human: the rollback workflow .*-rollback did not complete/);
  const critical = notifications(fixture)
    .filter((n) => n.severity === 'critical')
    .map((n) => n.text);
  expect(critical.join('\n')).toMatch(
    /FAILED, needs a human: the rollback workflow .* state of V1 and V2 is unknown\. Next: cutover status/,
  );
});

test('a monitoring rollback after SUCCESS shows on the cutover: CLI status and a search by plan', async () => {
  fixture = await fixtures.withV1Running();
  const handle = await startCutover(env.client, fixture.plan, { autoApprove: true, monitor: true });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('SUCCESS');
  const monitoring = env.client.workflow.getHandle(view.monitoringWorkflowId!);
  await monitoring.signal('rollback', { reason: 'dashboards look wrong', by: 'alice' });
  const ended = (await monitoring.result().catch(viewOrThrow)) as MonitoringView;
  expect(ended.status).toBe('ROLLED_BACK');
  expect(await isUp(fixture.urls.v1)).toBe(true);

  const status = cli('status', view.cutoverId);
  expect(status.stderr).toBe('');
  expect(status.status).toBe(0);
  expect(status.stdout).toMatch(/STATUS: SUCCESS/);
  expect(status.stdout).toMatch(
    new RegExp(
      `SUCCESS, then ROLLED_BACK by its monitoring at ` +
        `\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(${view.monitoringWorkflowId}\\)`,
    ),
  );
  // The finished monitoring asks nobody for votes, and a late vote is told how it ended: its outcome.
  expect(cli('status', view.monitoringWorkflowId!).stdout).not.toMatch(/waiting for|cutover approve/);
  const late = cli('approve', view.monitoringWorkflowId!, '--role', 'engineering', '--as', 'alice');
  expect(late.status).toBe(2);
  expect(late.stderr).toMatch(/has ended \(ROLLED_BACK\): its votes are closed and nothing was recorded/);
  const json = JSON.parse(cli('status', view.cutoverId, '--json').stdout);
  expect(json.afterSuccess).toMatchObject({ status: 'ROLLED_BACK', rollbackStatus: 'ROLLED_BACK' });

  // Visibility is eventually consistent: wait until the search sees the monitoring's last upsert.
  for (;;) {
    const found: string[] = [];
    for await (const w of env.client.workflow.list({
      query: `CutoverPlan="${fixture.plan.name}" AND CutoverStatus="ROLLED_BACK"`,
    }))
      found.push(w.workflowId);
    if (found.includes(view.monitoringWorkflowId!)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
});
