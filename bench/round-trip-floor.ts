/**
 * The floor under bench/monitoring.ts: what one timer round trip costs on the Java time-skipping
 * server with nothing else in it (a workflow that sleeps a minute N times, optionally running a
 * no-op local activity after each, as the sentinel does). Prints wall ms per round trip and the
 * CPU the worker (this process) and the Java server spent per round trip.
 *   npx tsx bench/round-trip-floor.ts [N=300]
 */
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startTimeSkippingServer } from '../test/helpers/temporal-env';
import { descendantCpuMs, JAVA_SERVER, ownCpuMs } from './process-cpu';

async function start(): Promise<TestWorkflowEnvironment> {
  // The SDK gives the Java server 5 s to start; on a loaded machine that is sometimes not enough.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTimeSkippingServer();
    } catch (err) {
      if (attempt >= 8) throw err;
    }
  }
}

async function main() {
  const env = await start();
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, 'floor-workflow.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
  });
  const n = Number(process.argv[2] ?? 300);
  for (const withLa of [false, true]) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'floor',
      workflowBundle: bundle,
      activities: { noop: async () => 1 },
    });
    const [t0, cpu0, java0] = [performance.now(), ownCpuMs(), descendantCpuMs(JAVA_SERVER)];
    await worker.runUntil(
      env.client.workflow.execute('floorWorkflow', {
        taskQueue: 'floor',
        workflowId: `floor-${Date.now()}`,
        args: [n, withLa],
      }),
    );
    const ms = performance.now() - t0;
    const cpu = ownCpuMs() - cpu0;
    const java = descendantCpuMs(JAVA_SERVER) - java0;
    console.log(
      `${withLa ? 'timer + local activity' : 'timer only'}: ` +
        `${(ms / n).toFixed(1)} ms per round trip; CPU per round trip: ` +
        `worker ${(cpu / n).toFixed(1)} ms, ` +
        `Java test server ${(java / n).toFixed(1)} ms; load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
  }
  await env.teardown();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
