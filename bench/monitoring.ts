/**
 * How long the default 24-hour monitoring plan takes on the time-skipping test server, against
 * the real demo V2 (a benchmark, not a test). Nobody votes, so each decision point waits out its
 * timeout: 28 hours of workflow time, 1,680 sentinel probes, 24 full validations.
 *   npx tsx bench/monitoring.ts [--runs 3] [--hours 3]
 * `--hours N` shortens the plan (validations every 30 min, a decision point at hour 1) for
 * profiling. Per-probe figures (ms and events per probe) are given beside the total because the
 * machine is shared and they move less with its load. For profiling: BENCH_HISTORY_DUMP=prefix
 * writes each run's history as JSON; BENCH_WINDOW=file writes the measured span (µs, the clock of
 * `node --cpu-prof`) so a profile can be cut to it.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUE } from '../domain/names';
import type { MonitoringView } from '../domain/monitoring-model';
import { bundleWorkflows, createWorker, startTimeSkippingServer } from '../test/helpers/temporal-env';
import { createDemoFixture } from '../test/helpers/demo-fixture';
import { afterCutoverState } from '../test/helpers/after-cutover';
import { createActivities } from '../activities';
import { DEMO_SERVICE, descendantCpuMs, JAVA_SERVER, ownCpuMs } from './process-cpu';
import { viewOrThrow } from '../domain/outcome';

/** Wall time spent inside each activity (ms, count): what the round trips cost is the rest. */
const spent = new Map<string, { ms: number; n: number }>();
function timedActivities() {
  const all = createActivities({ planDirs: [process.cwd(), os.tmpdir()], allowInlinePlans: true }) as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  return Object.fromEntries(
    Object.entries(all).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await fn(...args);
        } finally {
          const e = spent.get(name) ?? { ms: 0, n: 0 };
          spent.set(name, { ms: e.ms + performance.now() - t0, n: e.n + 1 });
        }
      },
    ]),
  );
}

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs') ?? 3);
const hours = arg('--hours') ? Number(arg('--hours')) : undefined;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** Events of every run of the chain (continue-as-new), following each run to the next. */
async function countEvents(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string) {
  let events = 0;
  const bytes = new Map<string, number>();
  for (let runId: string | undefined = firstRunId; runId;) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    if (process.env.BENCH_HISTORY_DUMP)
      fs.writeFileSync(`${process.env.BENCH_HISTORY_DUMP}-${runId}.json`, JSON.stringify(history));
    events += history.events?.length ?? 0;
    for (const e of history.events ?? [])
      bytes.set(String(e.eventType), (bytes.get(String(e.eventType)) ?? 0) + JSON.stringify(e).length);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return { events, bytes };
}

function shorten(plan: Record<string, any>) {
  if (hours === undefined) return;
  plan.monitoring = {
    duration: `${hours}h`,
    cadence: [{ until: `${hours}h`, every: '30m' }],
    decisionPoints: [
      { at: '1h', label: 'Hour 1 decision point', roles: ['engineering'], timeout: '1h', onTimeout: 'continue' },
    ],
  };
}

async function main() {
  const env = await startTimeSkippingServer();
  const bundle = await bundleWorkflows();
  const times: number[] = [];
  let last: MonitoringView | undefined;
  for (let i = 0; i < runs; i++) {
    const fixture = await createDemoFixture({
      mutate: (plan) => {
        plan.thresholds = { latencySamples: 5, memoryDrift: 0.5 };
        shorten(plan);
      },
    });
    try {
      // No `backup`: a hand-started monitoring refuses one (only a cutover may hand it over).
      const { cutoverId, baseline } = await afterCutoverState(fixture, 'bench');
      spent.clear();
      const worker = await createWorker(env, bundle, { activities: timedActivities() });
      const loadBefore = load();
      const hr0 = process.hrtime.bigint();
      const [t0, cpu0, java0, demo0] = [
        performance.now(),
        ownCpuMs(),
        descendantCpuMs(JAVA_SERVER),
        descendantCpuMs(DEMO_SERVICE),
      ];
      const workflowId = `bench-monitoring-${Date.now()}`;
      const handle = await env.client.workflow.start('monitoringWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ plan: fixture.plan, cutoverId, baseline }],
      });
      last = await worker.runUntil(handle.result().catch(viewOrThrow) as Promise<MonitoringView>);
      const ms = performance.now() - t0;
      if (process.env.BENCH_WINDOW)
        fs.writeFileSync(
          process.env.BENCH_WINDOW,
          JSON.stringify({ fromUs: Number(hr0 / 1000n), toUs: Number(process.hrtime.bigint() / 1000n) }),
        );
      const cpu = {
        worker: ownCpuMs() - cpu0,
        java: descendantCpuMs(JAVA_SERVER) - java0,
        demo: descendantCpuMs(DEMO_SERVICE) - demo0,
      };
      times.push(ms);
      const { events, bytes } = await countEvents(env, workflowId, handle.firstExecutionRunId);
      const probes = last.probes ?? 0;
      process.stderr.write(
        `run ${i + 1}/${runs}: ${(ms / 1000).toFixed(1)} s, ` +
          `${last.status}, ${last.rows.length} validations, ${probes} ` +
          `probes, ${last.runs} runs, ` +
          (`${events} events; ${(ms / probes).toFixed(1)} ms/probe, ` +
            `${(events / probes).toFixed(2)} events/probe; load ` +
            `${loadBefore} → ${load()}\n`),
      );
      process.stderr.write(
        `  history bytes (JSON) per probe by event type: ${[...bytes]
          .sort((a, b) => b[1] - a[1])
          .map(([k, b]) => `${k} ${(b / probes).toFixed(0)}`)
          .join(', ')}\n`,
      );
      const inActivities = [...spent.values()].reduce((a, e) => a + e.ms, 0);
      process.stderr.write(
        `  inside activities ${(inActivities / 1000).toFixed(1)} s: ${[...spent].map(([k, e]) => `${k} ${e.n}× ${(e.ms / e.n).toFixed(1)} ms`).join(', ')}\n`,
      );
      process.stderr.write(
        `  the rest (round trips, workflow code): ` + `${((ms - inActivities) / probes).toFixed(1)} ms/probe\n`,
      );
      process.stderr.write(
        `  CPU per probe: worker ${(cpu.worker / probes).toFixed(1)} ` +
          `ms, Java test server ${(cpu.java / probes).toFixed(1)} ms, demo ` +
          `services ${(cpu.demo / probes).toFixed(1)} ms\n`,
      );
    } finally {
      await fixture.cleanup();
    }
  }
  await env.teardown();
  console.log(
    `${hours ?? 24}-hour monitoring plan on the time-skipping ` +
      `server: median ${(median(times) / 1000).toFixed(1)} s over ` +
      `${runs} runs ` +
      (`(${last!.rows.length} validations, ${last!.probes} sentinel ` +
        `probes, ${last!.runs} continue-as-new runs); load ${load()}`),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
