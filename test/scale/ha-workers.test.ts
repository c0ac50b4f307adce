/**
 * High availability: two orchestration workers (real processes) poll the same queue. One is
 * SIGKILLed while Phase 3 stops V1 (the step is retried on the other after its heartbeat times
 * out), a third takes its place, and one is SIGKILLed while the cutover's monitoring runs on it
 * (its sticky queue falls back to the shared one and the other worker replays it). One cutover,
 * to keep CI time down: both kills land on it, and it and its monitoring finish.
 */
import type { ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { startService } from '../../activities/service-control';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup } from '../helpers/worker-process';
import { devServerWithWorkerProcesses } from '../helpers/dev-server-suite';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorkerProcesses();
let env: TestWorkflowEnvironment;
const workers: ChildProcess[] = [];
const fixtures: DemoFixture[] = [];
beforeAll(async () => {
  env = suite.env;
  workers.push(await suite.startWorker(), await suite.startWorker());
});
afterAll(async () => {
  for (const f of fixtures) await f.cleanup();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The worker process behind an SDK identity ("<pid>@<host>"). */
const byIdentity = (identity: string | undefined) =>
  workers.find((w) => identity?.startsWith(`${w.pid}@`) && w.exitCode === null && w.signalCode === null);

async function fixture() {
  const f = await createDemoFixture({
    mutate: (plan) => {
      plan.thresholds = { latencySamples: 5, memoryDrift: 0.5 };
      // A 40-second monitoring, probed every 4 s, validated every 20 s.
      plan.monitoring = {
        duration: '40s',
        cadence: [{ until: '40s', every: '20s' }],
        sentinelEvery: '4s',
        sentinelRequests: 1,
        summaryEvery: '40s',
        decisionPoints: [],
      };
    },
  });
  fixtures.push(f);
  await startService(f.loaded(), 'v1');
  return f;
}

/** The last worker a workflow task of `handle` ran on: the one holding it in its sticky cache. */
async function stickyWorker(handle: WorkflowHandle) {
  const events = (await handle.fetchHistory()).events!;
  return byIdentity(
    events.filter((e) => e.workflowTaskStartedEventAttributes).at(-1)?.workflowTaskStartedEventAttributes?.identity ??
      undefined,
  );
}

test(
  'a worker SIGKILLed while Phase 3 stops V1, another while it ' +
    'holds the monitoring: SUCCESS, then the monitoring COMPLETED',
  async () => {
    const f = await fixture();
    const handle = await startCutover(env.client, f.plan, { autoApprove: true, holdBefore: ['phase3'], monitor: true });
    await waitForStatus(handle, (v) => v.heldBefore === 'phase3');
    // V1 ignores SIGTERM: its stop lasts the plan's stopGrace (5 s) before the force stop, so the
    // kill lands inside the step whatever the machine's load.
    const res = await fetch(`${f.urls.v1}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hangOnStop: true }),
    });
    expect(res.ok).toBe(true);
    await handle.signal('resume', { phase: 'phase3' });
    await waitForStatus(handle, (v) => v.currentPhase === 'phase3' && !v.heldBefore);
    // The worker running Phase 3's stop, as the server sees it.
    let victim: ChildProcess | undefined;
    for (;;) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      victim = byIdentity(pending.find((a) => a.activityType?.name === 'stopService')?.lastWorkerIdentity ?? undefined);
      if (victim) break;
      if ((await handle.query<CutoverView>('status')).currentPhase !== 'phase3')
        throw new Error('Phase 3 ended before its stop was seen running');
      await pause(50);
    }
    await killGroup(victim);
    workers.push(await suite.startWorker()); // two again
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('SUCCESS');
    expect(view.phases.find((p) => p.id === 'phase3')!.message).toMatch(/V1 ignored SIGTERM and was force-stopped/);
    expect(await isUp(f.urls.v2)).toBe(true);
    expect(await isUp(f.urls.v1)).toBe(false);
    // V1's stop was one step, attempted again on a surviving worker, not scheduled twice.
    const events = (await handle.fetchHistory()).events!;
    const role = (e: (typeof events)[number]) =>
      Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![1].data!).toString();
    const stops = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'stopService' && role(e) === '"v1"',
    );
    expect(stops).toHaveLength(1);
    const started = events.find(
      (e) =>
        e.activityTaskStartedEventAttributes &&
        String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(stops[0].eventId),
    )!;
    expect(started.activityTaskStartedEventAttributes!.attempt).toBeGreaterThanOrEqual(2);
    expect(started.activityTaskStartedEventAttributes!.identity).not.toMatch(new RegExp(`^${victim.pid}@`));

    // Its monitoring: a few probes in, kill the worker whose cache holds it.
    const monitoring = env.client.workflow.getHandle(view.monitoringWorkflowId!);
    await waitForStatus(monitoring as WorkflowHandle, (v) => ((v as unknown as MonitoringView).probes ?? 0) >= 2);
    const holder = await stickyWorker(monitoring);
    expect(holder).toBeDefined();
    const probesAtKill = (await monitoring.query<MonitoringView>('status')).probes ?? 0;
    await killGroup(holder!);
    const ended = (await monitoring.result().catch(viewOrThrow)) as MonitoringView;
    expect(ended.status).toBe('COMPLETED');
    expect(ended.probes!).toBeGreaterThan(probesAtKill);
    // After the kill, its workflow tasks ran on a surviving worker.
    const identities = (await monitoring.fetchHistory())
      .events!.filter((e) => e.workflowTaskStartedEventAttributes)
      .map((e) => e.workflowTaskStartedEventAttributes!.identity);
    expect(identities.at(-1)).not.toMatch(new RegExp(`^${holder!.pid}@`));
    expect(await isUp(f.urls.v2)).toBe(true);
  },
  300_000,
);
