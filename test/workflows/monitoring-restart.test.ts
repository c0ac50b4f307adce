/**
 * On the dev server with a 30-second plan (same workflow, seconds instead of hours): a worker
 * SIGKILLed mid-monitoring and started again loses no checkpoint and repeats none; a rollback
 * signal from a lead ends monitoring with V1 serving.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { MonitoringView } from '../../domain/monitoring-model';
import { demoFixturePerTest, isUp, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup } from '../helpers/worker-process';
import { startMonitoring } from '../helpers/after-cutover';
import { devServerWithWorkerProcesses } from '../helpers/dev-server-suite';
import { viewOrThrow } from '../../domain/outcome';
import { waitFor } from '../helpers/wait-for';

const suite = devServerWithWorkerProcesses();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
const worker = () => suite.startWorker();
beforeAll(() => (env = suite.env));

const SHORT_MONITORING = {
  duration: '30s',
  cadence: [{ until: '30s', every: '5s' }],
  sentinelEvery: '1s',
  summaryEvery: '15s',
  decisionPoints: [
    { at: '30s', label: 'Final sign-off', roles: ['engineering'], timeout: '2s', onTimeout: 'continue' },
  ],
};

async function monitoredV2() {
  fixture = await fixtures.create({
    mutate: (plan) =>
      Object.assign(plan, { monitoring: SHORT_MONITORING, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
  });
  return startMonitoring(env.client, fixture, 'cutover-short');
}

/** The monitoring's status once `pred` holds; fails at once if it ended first. */
const until = (
  handle: { workflowId: string; query: <T>(q: string) => Promise<T> },
  pred: (v: MonitoringView) => boolean,
) =>
  waitFor(`${handle.workflowId} to reach the awaited state`, async () => {
    const v = await handle.query<MonitoringView>('status');
    if (pred(v)) return v;
    if (['COMPLETED', 'ROLLED_BACK', 'FAILED', 'CANCELLED'].includes(v.status))
      throw new Error(`ended ${v.status} first`);
    return undefined;
  });

test('a worker killed mid-monitoring and restarted loses no checkpoint and repeats none', async () => {
  const first = await worker();
  const handle = await monitoredV2();
  await until(handle, (v) => v.rows.length >= 2);
  await killGroup(first);
  await new Promise((r) => setTimeout(r, 3_000)); // the worker stays dead across a checkpoint
  await worker();
  const view = (await handle.result().catch(viewOrThrow)) as MonitoringView;
  expect(view.status).toBe('COMPLETED');
  // Every checkpoint ran once, or fell in the outage and is covered by an unmeasured gap (the
  // latest one missed runs late, when the worker is back; earlier ones are not replayed).
  const ran = view.rows.map((r) => r.offsetMs);
  expect(new Set(ran).size).toBe(ran.length);
  const lost = [5, 10, 15, 20, 25, 30].map((s) => s * 1000).filter((o) => !ran.includes(o));
  expect(lost.filter((o) => !view.gaps!.some((g) => g.fromOffsetMs <= o && o <= g.toOffsetMs))).toEqual([]);
  expect(view.gaps!.length).toBeGreaterThan(0);
  expect(view.decisions).toEqual([
    expect.objectContaining({ label: 'Final sign-off', outcome: 'continue', via: 'timeout-default' }),
  ]);
  // `cutover report` finds the report the monitoring wrote, from the cutover id alone.
  const cutoverId = handle.workflowId.replace(/-monitoring$/, '');
  const report = spawnSync(
    path.join(REPO, 'node_modules/.bin/tsx'),
    [path.join(REPO, 'client/main.ts'), 'report', cutoverId],
    {
      encoding: 'utf8',
      env: { ...process.env, TEMPORAL_ADDRESS: env.address },
    },
  );
  expect(report.status).toBe(0);
  expect(report.stdout).toContain(view.report!.markdown);
  expect(fs.readFileSync(view.report!.markdown, 'utf8')).toContain('![Latency]');
}, 360_000);

test('a rollback signal during monitoring rolls back to V1', async () => {
  await suite.ensureWorker();
  const handle = await monitoredV2();
  await until(handle, (v) => v.rows.length >= 1);
  await handle.signal('rollback', { reason: 'finance reports wrong totals', by: 'carol' });
  const view = (await handle.result().catch(viewOrThrow)) as MonitoringView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(view.rollback).toMatchObject({
    reason: 'rollback requested by carol: finance reports wrong totals',
    status: 'ROLLED_BACK',
  });
  expect(await isUp(fixture!.urls.v1)).toBe(true);
  expect(await isUp(fixture!.urls.v2)).toBe(false);
}, 360_000);
