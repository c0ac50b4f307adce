/**
 * How long the default 24-hour monitoring plan takes on the time-skipping test server, against
 * the real demo V2 (a benchmark, not a test). Nobody votes, so each decision point waits out its
 * timeout: 28 hours of workflow time, 1,440 sentinel probes, 24 full validations.
 *   npx tsx bench/monitoring.ts [--runs 3]
 */
import { TASK_QUEUE } from '../domain/names';
import type { MonitoringView } from '../domain/monitoring-model';
import { bundleWorkflows, createWorker, startTimeSkippingServer } from '../test/helpers/temporal-env';
import { createDemoFixture } from '../test/helpers/demo-fixture';
import { afterCutoverState } from '../test/helpers/after-cutover';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const env = await startTimeSkippingServer();
  const bundle = await bundleWorkflows();
  const times: number[] = [];
  let last: MonitoringView | undefined;
  for (let i = 0; i < runs; i++) {
    const fixture = await createDemoFixture({ mutate: (plan) => (plan.thresholds = { latencySamples: 5, memoryDrift: 0.5 }) });
    try {
      // No `backup`: a hand-started monitoring refuses one (only a cutover may hand it over).
      const { cutoverId, baseline } = await afterCutoverState(fixture, 'bench');
      const worker = await createWorker(env, bundle);
      const t0 = performance.now();
      last = await worker.runUntil(
        env.client.workflow.execute('monitoringWorkflow', { taskQueue: TASK_QUEUE, workflowId: `bench-monitoring-${Date.now()}`, args: [{ plan: fixture.plan, cutoverId, baseline }] }) as Promise<MonitoringView>,
      );
      times.push(performance.now() - t0);
      process.stderr.write(`run ${i + 1}/${runs}: ${(times.at(-1)! / 1000).toFixed(1)} s, ${last.status}, ${last.rows.length} validations, ${last.runs} runs\n`);
    } finally {
      await fixture.cleanup();
    }
  }
  await env.teardown();
  console.log(`24-hour monitoring plan on the time-skipping server: median ${(median(times) / 1000).toFixed(1)} s over ${runs} runs ` + `(${last!.rows.length} validations, 1,440 sentinel probes, ${last!.runs} continue-as-new runs)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
