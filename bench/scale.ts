/**
 * How many monitorings one worker holds: N concurrent monitoringWorkflows against a few real demo
 * V2 services on the dev server, the sentinel on a compressed cadence, over a measured span.
 * Prints per N: workflow-task schedule-to-start p50/p99 (from the histories), local-activity
 * (sentinel) schedule-to-start p50/p99 (measured inside the worker), worker CPU and RSS, dev-server
 * CPU, events per monitoring-hour, continue-as-new count, and the load average around it.
 *   npx tsx bench/scale.ts [--n 100,1000] [--every 15s] [--span 120] [--services 3] [--cache N] [--wft-slots N] [--wft-polls N]
 * The worker runs in this process (its CPU/RSS include the bench's own client, which is idle while measuring).
 */
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor, ActivityExecuteInput, Next } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUE } from '../domain/names';
import { createWorker, startDevServer } from '../test/helpers/temporal-env';
import { createDemoFixture, REPO, type DemoFixture } from '../test/helpers/demo-fixture';
import { startService } from '../activities/service-control';
import { historyFigures, pct } from './scale-figures';

const flag = (name: string, dflt: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt);
const sizes = flag('n', '100,1000').split(',').map(Number);
const every = flag('every', '15s');
const spanS = Number(flag('span', '120'));
const serviceCount = Number(flag('services', '3'));
const cache = flag('cache', '');
const wftSlots = flag('wft-slots', '');
const wftPolls = flag('wft-polls', '');
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** The sentinel's schedule-to-start, measured where it starts: in the worker, as it runs. */
const laLatencies: { at: number; ms: number }[] = [];
class Measure implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
    const info = Context.current().info;
    if (info.isLocal) laLatencies.push({ at: Date.now(), ms: Date.now() - info.currentAttemptScheduledTimestampMs });
    return next(input);
  }
}

function cpuSecondsOf(pattern: string): number {
  // the dev server is a child of this process: its CPU from ps, by its port in the command line
  const out = execFileSync('ps', ['-eo', 'times=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(pattern) && l.includes('start-dev')).reduce((s, l) => s + Number(l.trim().split(/\s+/)[0]), 0);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function runOne(env: TestWorkflowEnvironment, bundle: string, fixtures: DemoFixture[], n: number) {
  const overrides = { interceptors: { activity: [() => ({ inbound: new Measure() })] }, ...(cache ? { maxCachedWorkflows: Number(cache) } : {}), ...(wftSlots ? { maxConcurrentWorkflowTaskExecutions: Number(wftSlots) } : {}), ...(wftPolls ? { maxConcurrentWorkflowTaskPolls: Number(wftPolls) } : {}) };
  const worker = await createWorker(env, { code: '' }, { workflowBundle: { codePath: bundle }, ...overrides });
  const running = worker.run();
  const ids = Array.from({ length: n }, (_, i) => `scale-${n}-${Date.now()}-${i}`);
  const startedAt = Date.now();
  await inBatches(ids, 50, (id) => {
    const fixture = fixtures[Number(id.split('-').at(-1)) % fixtures.length];
    return env.client.workflow.start('monitoringWorkflow', { taskQueue: TASK_QUEUE, workflowId: id, args: [{ plan: fixture.plan, cutoverId: id.replace('scale-', 'bench-') }] });
  });
  process.stderr.write(`N=${n}: started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; warming up until each has probed once\n`);
  // Measured only in steady state: the start-up backlog (plan loads, first notifications) is behind us.
  while (laLatencies.length < n) await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, 5_000));
  process.stderr.write(`N=${n}: warm after ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  const [port] = env.address.split(':').slice(-1);
  const server0 = cpuSecondsOf(port);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const loadBefore = load();
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 1000);
  await new Promise((r) => setTimeout(r, spanS * 1000));
  clearInterval(sampler);
  const t1 = Date.now();
  const cpu = process.cpuUsage(cpu0);
  const serverCpu = cpuSecondsOf(port) - server0;
  const loadAfter = load();
  const la = laLatencies.filter((l) => l.at >= t0 && l.at <= t1).map((l) => l.ms);
  laLatencies.length = 0;
  const figures = await historyFigures(env.client, ids.slice(0, Math.min(n, 100)), t0, t1);
  let continued = 0;
  for await (const wf of env.client.workflow.list({ query: `WorkflowType = 'monitoringWorkflow' AND ExecutionStatus = 'ContinuedAsNew' AND WorkflowId STARTS_WITH 'scale-${n}-'` })) if (wf) continued++;
  const probesPerHourAtCadence = 3_600_000 / (figures.probeIntervalMs || 1);
  console.log(
    [
      `N=${n} monitorings, sentinel every ${every} (compressed from 1m), ${spanS} s measured, ${fixtures.length} demo V2 services, load avg before ${loadBefore} / after ${loadAfter}`,
      `  worker: maxCachedWorkflows ${cache || 'default'}, workflow task slots ${wftSlots || 'default'}, polls ${wftPolls || 'default'} (worker/worker-options.ts defaults unless given)`,
      `  workflow task schedule-to-start: p50 ${pct(figures.wftLatencies, 50)} ms, p99 ${pct(figures.wftLatencies, 99)} ms, max ${pct(figures.wftLatencies, 100)} ms (${figures.wftLatencies.length} tasks of ${figures.sampled} histories)`,
      `  sentinel local activity schedule-to-start: p50 ${pct(la, 50)} ms, p99 ${pct(la, 99)} ms, max ${pct(la, 100)} ms (${la.length} probes, ${(la.length / spanS).toFixed(1)}/s)`,
      `  worker CPU ${((cpu.user + cpu.system) / 1e6 / spanS * 100).toFixed(0)}% of one core, RSS max ${(rssMax / 2 ** 20).toFixed(0)} MB; dev server CPU ${(serverCpu / spanS * 100).toFixed(0)}% of one core`,
      `  events per probe ${figures.eventsPerProbe.toFixed(1)} → ${Math.round(figures.eventsPerProbe * 60)} events per monitoring-hour at the 1-minute cadence (${Math.round(figures.eventsPerProbe * probesPerHourAtCadence)} at ${every}); continue-as-new: ${continued}`,
    ].join('\n'),
  );
  await inBatches(ids, 50, (id) => env.client.workflow.getHandle(id).terminate('bench done').catch(() => undefined));
  worker.shutdown();
  await running;
}

async function main() {
  const env = await startDevServer();
  // Built by another process, as production images do (worker/build-bundle.ts): the bundler's
  // few hundred MB would otherwise count as the worker's RSS.
  const bundle = path.join(os.tmpdir(), `cutover-scale-bundle-${process.pid}.js`);
  execFileSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'worker/build-bundle.ts'), bundle], { stdio: 'ignore' });
  const fixtures: DemoFixture[] = [];
  try {
    for (let i = 0; i < serviceCount; i++) {
      const fixture = await createDemoFixture({
        mutate: (plan) => {
          plan.name = `scale-${i}`;
          plan.thresholds = { latencySamples: 5, memoryDrift: 0.5 };
          // One full validation at the start only (the span is about the sentinel), no decision points.
          plan.monitoring = { duration: '24h', cadence: [{ until: '24h', every: '12h' }], sentinelEvery: every, sentinelRequests: 1, summaryEvery: '24h', decisionPoints: [] };
        },
      });
      fixtures.push(fixture);
      await startService(fixture.loaded(), 'v2');
    }
    for (const n of sizes) await runOne(env, bundle, fixtures, n);
  } finally {
    for (const f of fixtures) await f.cleanup();
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
