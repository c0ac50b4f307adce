/**
 * Worker Versioning on the real dev server with the worker as it is deployed: versioned worker
 * processes (orchestrator and host agent per build), one deployment per test.
 * Build A → build B side by side: B becomes current by itself and names the runs pinned to A; A's
 * held cutover finishes on A (its host steps on A's agent), a new cutover runs on B (on B's agent),
 * and a monitoring moves to B at its next continue-as-new. An upgrade in place (A gone, then B):
 * B's log names the stranded cutover and the command that moves it; run, the cutover finishes on B.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import pino from 'pino';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { hostQueue } from '../../domain/names';
import { viewOrThrow } from '../../domain/outcome';
import { startService, stopService } from '../../activities/service-control';
import { joinDeployment, moveCommand } from '../../worker/deployment';
import { startDevServer } from '../helpers/temporal-env';
import { createDemoFixture, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup } from '../helpers/worker-process';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { startMonitoring } from '../helpers/after-cutover';
import {
  activityTasks,
  currentBuild,
  historyOf,
  runShell,
  startVersionedWorker,
  workflowTasks,
  type VersionedWorker,
} from '../helpers/worker-versions';

let env: TestWorkflowEnvironment;
let tmp: string;
const children: ChildProcess[] = [];
const fixtures: DemoFixture[] = [];
const HOST = 'edge';

beforeAll(async () => {
  env = await startDevServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-versioning-'));
}, 120_000);
afterAll(async () => {
  await Promise.all(children.map((c) => killGroup(c)));
  for (const f of fixtures) {
    for (const role of ['v1', 'v2'] as const) await stopService(f.loaded(), role).catch(() => undefined);
    await f.cleanup();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  await env?.teardown();
});

async function worker(deployment: string, build: string, host?: string): Promise<VersionedWorker> {
  const runDir = fs.mkdtempSync(path.join(tmp, `${build}-${host ?? 'orchestrator'}-`));
  const w = await startVersionedWorker(env.address, { deployment, build, host, runDir });
  children.push(w.child);
  return w;
}

/** A demo target whose services, backups and router are on host HOST (served by its agent), V1 up. */
async function hostFixture(): Promise<DemoFixture> {
  const f = await createDemoFixture({
    mutate: (plan) => {
      const runDir = path.join(plan.workdir, HOST, 'run');
      Object.assign(plan.services.v1, { host: HOST, runDir });
      Object.assign(plan.services.v2, { host: HOST, runDir });
      plan.backup.host = HOST;
      plan.traffic.host = HOST;
    },
  });
  fixtures.push(f);
  await startService(f.loaded(), 'v1');
  return f;
}

const LONG_MONITORING = {
  duration: '1h',
  cadence: [{ until: '1h', every: '30m' }],
  sentinelEvery: '1s',
  summaryEvery: '1h',
  decisionPoints: [{ at: '1h', label: 'Final sign-off', roles: ['engineering'], timeout: '1m', onTimeout: 'continue' }],
};

const approve = async (handle: WorkflowHandle) => {
  await handle.executeUpdate('approve', { args: [{ role: 'engineering', approver: 'alice', decision: 'GO' }] });
  await handle.executeUpdate('approve', { args: [{ role: 'operations', approver: 'bob', decision: 'GO' }] });
};

async function until<T>(fn: () => Promise<T>, pred: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const deploymentName = (prefix: string) => uniqueId(prefix).replace(/[^A-Za-z0-9_-]/g, '-');
const version = (deployment: string, buildId: string) => ({ deploymentName: deployment, buildId });
const result = <T>(handle: WorkflowHandle) => handle.result().catch(viewOrThrow) as Promise<T>;
/** Every task of a run on `build`'s processes: workflow tasks on its orchestrator, host steps on its agent. */
async function servedBy(workflowId: string, runId: string | undefined, orch: VersionedWorker, agent?: VersionedWorker) {
  const events = await historyOf(env.client, workflowId, runId);
  const tasks = workflowTasks(events);
  expect(tasks.length).toBeGreaterThan(2);
  expect(tasks).toEqual(tasks.map(() => `${orch.build} ${orch.identity}`));
  const steps = activityTasks(events).map((a) => `${a.type} ${a.queue} ${a.identity}`);
  const where = (queue: string) => (queue === hostQueue(HOST) ? agent!.identity : orch.identity);
  expect(steps).toEqual(activityTasks(events).map((a) => `${a.type} ${a.queue} ${where(a.queue)}`));
  return { events, steps };
}

test(
  'build B beside build A: B becomes current and names the runs pinned to A; A finishes its held ' +
    'cutover on its agent, B runs a new one on its own, and the monitoring moves to B',
  async () => {
    const deployment = deploymentName('versioning-ab');
    const [A, B] = [version(deployment, 'build-a'), version(deployment, 'build-b')];
    const [agentA, orchA] = await Promise.all([worker(deployment, 'build-a', HOST), worker(deployment, 'build-a')]);
    expect(await currentBuild(env.client, deployment)).toBe('build-a');
    const held = await hostFixture();
    const heldHandle = await startCutover(env.client, held.plan);
    const watch = await createDemoFixture({
      mutate: (plan) =>
        Object.assign(plan, { monitoring: LONG_MONITORING, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
    });
    fixtures.push(watch);
    const monitoring = await startMonitoring(env.client, watch, 'versioning-watch');
    await waitForStatus(heldHandle, (v) => v.status === 'AWAITING_APPROVAL');
    await until(
      () => monitoring.query<MonitoringView>('status'),
      (v) => (v.probes ?? 0) >= 1,
    );

    // B's host agent first: its poll creates version B before B's orchestrator polls "cutover".
    const agentB = await worker(deployment, 'build-b', HOST);
    await until(
      () => env.client.workflowService.describeWorkerDeployment({ namespace: 'default', deploymentName: deployment }),
      (d) => !!d.workerDeploymentInfo?.versionSummaries?.some((v) => v.deploymentVersion?.buildId === 'build-b'),
    );
    // Made current now, B would be refused (A's "cutover" queue has no B poller): joining waits for its own poller.
    const early = await joinDeployment({
      connection: env.nativeConnection,
      namespace: 'default',
      version: B,
      logger: pino({ level: 'silent' }),
      waitMs: 2_000,
    }).catch((err: Error) => err);
    expect(String(early)).toMatch(/did not register build build-b of deployment \S+ polling task queue cutover/);
    expect(await currentBuild(env.client, deployment)).toBe('build-a');

    const orchB = await worker(deployment, 'build-b');
    expect(await currentBuild(env.client, deployment)).toBe('build-b');
    const said = orchB.messages();
    expect(said).toContain(`build build-b is now the current version of deployment ${deployment} (was build-a)`);
    const pinned = said.find((m) => m.includes('pinned to build build-a'));
    expect(pinned).toMatch(/^2 running workflow\(s\) are pinned to build build-a \(/);
    expect(pinned).toContain(heldHandle.workflowId);
    expect(pinned).toContain(monitoring.workflowId);
    expect(pinned).toContain(`--deployment-name ${deployment} --build-id build-a says drained`);
    expect(pinned!.endsWith(`move them here: ${moveCommand(A, B)}`)).toBe(true);
    // what an operator sees: B current, A draining (its pinned runs still running)
    const described = await runShell(env.address, `temporal worker deployment describe --name ${deployment}`);
    expect(described.out).toMatch(/CurrentVersionBuildID\s+build-b\n/);
    expect(described.out).toMatch(/build-a\s+draining/);

    const next = await hostFixture();
    const nextHandle = await startCutover(env.client, next.plan, { autoApprove: true });
    await approve(heldHandle);
    const [heldView, nextView] = await Promise.all([result<CutoverView>(heldHandle), result<CutoverView>(nextHandle)]);
    expect(`${heldView.status} ${nextView.status}`).toBe('SUCCESS SUCCESS');
    const firstRun = monitoring.firstExecutionRunId;
    const latest = env.client.workflow.getHandle(monitoring.workflowId);
    const moved = await until(
      () => latest.describe(),
      (d) => d.runId !== firstRun,
    );
    await latest.cancel();
    expect((await result<MonitoringView>(latest)).status).toBe('CANCELLED');

    // The held cutover: every task after the votes (sent once B was current) still on A, its host steps on A's agent.
    const { events, steps } = await servedBy(heldHandle.workflowId, undefined, orchA, agentA);
    const voted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(workflowTasks(events.slice(voted)).length).toBeGreaterThan(2);
    expect(steps).toContain(`switchTraffic ${hostQueue(HOST)} ${agentA.identity}`);
    // The new cutover: all on B, its host steps on B's agent.
    expect((await servedBy(nextHandle.workflowId, undefined, orchB, agentB)).steps).toContain(
      `switchTraffic ${hostQueue(HOST)} ${agentB.identity}`,
    );
    // The monitoring: its first run on A continued as new (auto-upgrade), the new run on B to the end.
    const before = (await servedBy(monitoring.workflowId, firstRun, orchA)).events;
    expect(before.at(-1)!.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(moved.runId);
    // (Server 1.32 does not write the run's initialVersioningBehavior into that event; the new run shows it:
    // a pinned run continued as new without AUTO_UPGRADE would inherit build A)
    const after = (await servedBy(monitoring.workflowId, moved.runId, orchB)).events;
    expect(after[0]!.workflowExecutionStartedEventAttributes).toMatchObject({ continuedExecutionRunId: firstRun });
    expect(after[0]!.workflowExecutionStartedEventAttributes!.inheritedPinnedVersion ?? undefined).toBeUndefined();
  },
  300_000,
);

test(
  'one worker upgraded in place: B names the cutover stranded on A and the command that moves it; ' +
    'run, the cutover finishes on B',
  async () => {
    const deployment = deploymentName('versioning-in-place');
    const [A, B] = [version(deployment, 'build-a'), version(deployment, 'build-b')];
    const orchA = await worker(deployment, 'build-a');
    const solo = await createDemoFixture();
    fixtures.push(solo);
    await startService(solo.loaded(), 'v1');
    const handle = await startCutover(env.client, solo.plan);
    await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
    await killGroup(orchA.child, 'SIGTERM');

    const orchB = await worker(deployment, 'build-b');
    expect(await currentBuild(env.client, deployment)).toBe('build-b');
    const said = orchB.messages();
    expect(said).toContain(`build build-b is now the current version of deployment ${deployment} (was build-a)`);
    const pinned = said.find((m) => m.includes('pinned to build build-a')) ?? '';
    expect(pinned.startsWith(`1 running workflow(s) are pinned to build build-a (${handle.workflowId}) `)).toBe(true);
    const command = pinned.slice(pinned.indexOf('move them here: ') + 'move them here: '.length);
    expect(command).toBe(moveCommand(A, B));
    expect(await runShell(env.address, command)).toMatchObject({ code: 0 });
    // a batch job: the override lands on the run shortly after
    await until(
      () => handle.describe(),
      (d) => JSON.stringify(d.raw.workflowExecutionInfo?.versioningInfo?.versioningOverride ?? {}).includes('build-b'),
    );
    await approve(handle);
    expect((await result<CutoverView>(handle)).status).toBe('SUCCESS');

    const events = await historyOf(env.client, handle.workflowId);
    const at = events.findIndex((e) => e.workflowExecutionOptionsUpdatedEventAttributes);
    expect(at).toBeGreaterThan(0);
    const [onA, onB] = [workflowTasks(events.slice(0, at)), workflowTasks(events.slice(at))];
    expect(onA).toEqual(onA.map(() => `build-a ${orchA.identity}`));
    expect(onB.length).toBeGreaterThan(2);
    expect(onB).toEqual(onB.map(() => `build-b ${orchB.identity}`));
    const steps = activityTasks(events.slice(at)).map((a) => `${a.type} ${a.identity}`);
    expect(steps).toContain(`switchTraffic ${orchB.identity}`);
    expect(steps).toEqual(activityTasks(events.slice(at)).map((a) => `${a.type} ${orchB.identity}`));
  },
  300_000,
);
