/**
 * On the Java time-skipping test server: a GO/NO-GO gate that nobody answers for 24 hours ends
 * with the plan's default after 24 hours of workflow time, in seconds of real time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { timeSkippingWithWorkers } from '../helpers/dev-server-suite';
import { demoFixturePerTest, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const worker = timeSkippingWithWorkers();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;

beforeAll(() => {
  env = worker.env;
});

test('an unanswered gate aborts after its 24-hour timeout with V1 untouched', async () => {
  fixture = await fixtures.withV1Running({ mutate: (plan) => (plan.approvals.gate = { timeout: '24h' }) });
  const before = await env.currentTimeMs();
  const view = await worker.runUntil(
    async () => (await startCutover(env.client, fixture!.plan)).result().catch(viewOrThrow) as Promise<CutoverView>,
  );
  const skipped = (await env.currentTimeMs()) - before;
  expect(skipped).toBeGreaterThanOrEqual(24 * 3600_000);
  expect(view.status).toBe('ABORTED');
  expect(view.message).toMatch(/no decision within 24h: default is abort/);
  expect(view.approvals).toEqual([
    expect.objectContaining({ approver: 'timeout-default', decision: 'NO_GO', via: 'timeout-default' }),
  ]);
  expect(await isUp(fixture.urls.v1)).toBe(true);
});
