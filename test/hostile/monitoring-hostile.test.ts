/**
 * Hostile and empty input from the real `temporal` CLI to a running monitoring on the dev server
 * (a seconds-scale plan: the same workflow, a sentinel every 2 s). The junk is listed and ignored,
 * the monitoring still rolls back by itself when V2's error rate passes 5%, and an empty
 * `rollback` signal (the UI's form left blank) is a rollback: both end ROLLED_BACK, V1 serving.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { MonitoringView } from '../../domain/monitoring-model';
import { MESSAGES_KEPT } from '../../domain/message-log';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { demoFixturePerTest, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startMonitoring } from '../helpers/after-cutover';
import { cli, JUNK, taskFailures } from './temporal-cli';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
let c: ReturnType<typeof cli>;
beforeAll(() => {
  env = suite.env;
  c = cli(env.address);
});

/** Ten minutes of monitoring that never reaches a full validation or a decision: only the sentinel runs. */
const SENTINEL_ONLY = {
  duration: '10m',
  cadence: [{ until: '10m', every: '5m' }],
  sentinelEvery: '2s',
  summaryEvery: '10m',
  decisionPoints: [],
};

async function monitoring() {
  fixture = await fixtures.create({
    mutate: (plan) =>
      Object.assign(plan, { monitoring: SENTINEL_ONLY, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
  });
  const handle = await startMonitoring(env.client, fixture, 'cutover-hostile');
  for (;;) {
    const view = await handle.query<MonitoringView>('status');
    if (view.next) return handle;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test(
  'junk votes, updates and unknown signals are listed and ' +
    'ignored; an error rate over 5% still rolls back by itself',
  async () => {
    const handle = await monitoring();
    const id = handle.workflowId;
    for (const { raw } of JUNK) {
      expect((await c.signal(id, 'approveSignal', raw)).code).toBe(0);
      expect((await c.update(id, 'approve', raw)).err).toMatch(/\(type: ApprovalRejected, retryable: false\)/);
      // Signals the monitoring has no handler for (abort and resume belong to the cutover) wait unread, harmless.
      expect((await c.signal(id, 'resume', raw)).code).toBe(0);
    }
    const view = await c.status<MonitoringView>(id);
    expect(view.status).toBe('MONITORING');
    expect(view.rejectedVotes.length).toBe(Math.min(JUNK.length, MESSAGES_KEPT));
    expect(JSON.stringify(view.rejectedVotes).length).toBeLessThan(20_000);

    const res = await fetch(`${fixture!.urls.v2}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 0.5 }),
    });
    expect(res.ok).toBe(true);
    const final = (await handle.result().catch(viewOrThrow)) as MonitoringView;
    expect(final.status).toBe('ROLLED_BACK');
    expect(final.rollback).toMatchObject({
      reason: expect.stringMatching(/sentinel: error rate \d+(\.\d+)?% over 5%/),
      status: 'ROLLED_BACK',
    });
    // The sentinel's own readings are kept for the report: the last one saw the error rate.
    expect(final.sentinelSamples!.length).toBeGreaterThan(0);
    expect(final.sentinelSamples!.at(-1)!.errorRatePct).toBeGreaterThan(5);
    expect(await isUp(fixture!.urls.v1)).toBe(true);
    expect(await isUp(fixture!.urls.v2)).toBe(false);
    expect(await taskFailures(c, id)).toEqual([]);
  },
  240_000,
);

test('an empty rollback signal rolls back: ROLLED_BACK with V1 serving', async () => {
  const handle = await monitoring();
  expect((await c.signal(handle.workflowId, 'rollback', undefined)).code).toBe(0);
  const final = (await handle.result().catch(viewOrThrow)) as MonitoringView;
  expect(final.status).toBe('ROLLED_BACK');
  expect(final.rollback).toMatchObject({ reason: 'rollback requested by someone (no payload)', status: 'ROLLED_BACK' });
  expect(await isUp(fixture!.urls.v1)).toBe(true);
  expect(await isUp(fixture!.urls.v2)).toBe(false);
  expect(await taskFailures(c, handle.workflowId)).toEqual([]);
}, 240_000);

test('a malformed rollback signal (a number) is still a rollback, noted in status', async () => {
  const handle = await monitoring();
  expect((await c.signal(handle.workflowId, 'rollback', '42')).code).toBe(0);
  const final = (await handle.result().catch(viewOrThrow)) as MonitoringView;
  expect(final.status).toBe('ROLLED_BACK');
  expect(final.rollback!.reason).toBe('rollback requested by someone (malformed payload)');
  expect(final.rejectedMessages).toMatchObject({
    count: 1,
    last: [expect.objectContaining({ name: 'rollback', honoured: true, excerpt: '42' })],
  });
  expect(await taskFailures(c, handle.workflowId)).toEqual([]);
}, 240_000);
