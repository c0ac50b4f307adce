/**
 * How many monitorings one worker holds: N concurrent monitoringWorkflows against a few real demo
 * V2 services on the dev server, the sentinel on a given cadence, over a measured span.
 * Prints per N: workflow-task schedule-to-start p50/p99 (from the histories), local-activity
 * (sentinel) schedule-to-start p50/p99 (measured inside the worker), CPU and RSS of the worker,
 * the dev server, the demo services and this process (the client) apart, events per
 * monitoring-hour, continue-as-new count, and the load average around it.
 *   npx tsx bench/scale.ts [--n 100,1000] [--every 60s] [--span 120] [--services 3] [--ramp 60]
 * [--node-args "--max-semi-space-size=…"] [--worker-env MALLOC_ARENA_MAX=2] [--cache N] [--wft-slots N] [--wft-polls N]
 * [--la-slots N]
 * The worker is its own process (bench/scale-worker.ts, built as worker/main.ts builds it); the
 * CUTOVER_* capacity variables of worker/worker-tuning.ts reach it from this environment.
 */
import os from 'node:os';
import path from 'node:path';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUE } from '../domain/names';
import { parseDuration } from '../domain/duration';
import { startDevServer } from '../test/helpers/temporal-env';
import { createDemoFixture, REPO, type DemoFixture } from '../test/helpers/demo-fixture';
import { startService } from '../activities/service-control';
import { historyFigures, pct } from './scale-figures';
import { ProcMeter, pidsOf, rssMb } from './scale-procs';

const flag = (name: string, dflt: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt;
const sizes = flag('n', '100,1000').split(',').map(Number);
const every = flag('every', '60s');
const spanS = Number(flag('span', '120'));
const serviceCount = Number(flag('services', '3'));
// Starts spread over this many seconds (default one sentinel interval): monitorings begun at
// different moments probe at different seconds of the minute. 0: all at once, the worst burst.
const rampS = Number(flag('ramp', String(parseDuration(every) / 1000)));
const nodeArgs = flag('node-args', '').split(' ').filter(Boolean);
// e.g. MALLOC_ARENA_MAX=2: for the worker process only (not the dev server, the services or this client)
const workerEnv: Record<string, string> = Object.fromEntries(
  flag('worker-env', '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]),
);
const tuning: Record<string, string> = Object.fromEntries(
  [
    ['cache', 'CUTOVER_MAX_CACHED_WORKFLOWS'],
    ['wft-slots', 'CUTOVER_WORKFLOW_TASK_SLOTS'],
    ['wft-polls', 'CUTOVER_WORKFLOW_TASK_POLLS'],
    ['la-slots', 'CUTOVER_LOCAL_ACTIVITY_SLOTS'],
  ]
    .filter(([f]) => process.argv.includes(`--${f}`))
    .map(([f, env]) => [env, flag(f, '')]),
);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface WorkerProc {
  child: ChildProcess;
  settings: Record<string, unknown>;
  la: { at: number; ms: number }[];
  memory: () => Promise<NodeJS.MemoryUsage>;
}

async function startWorker(env: TestWorkflowEnvironment, bundle: string): Promise<WorkerProc> {
  const child = fork(path.join(__dirname, 'scale-worker.ts'), [], {
    execArgv: ['--import', 'tsx', ...nodeArgs],
    env: {
      ...process.env,
      ...tuning,
      ...workerEnv,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: env.namespace ?? 'default',
      CUTOVER_WORKFLOW_BUNDLE: bundle,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const memory = () =>
    new Promise<NodeJS.MemoryUsage>((resolve) => {
      child.once('message', (m: { memory?: NodeJS.MemoryUsage }) => resolve(m.memory!));
      child.send({ memory: true });
    });
  const proc: WorkerProc = { child, settings: {}, la: [], memory };
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { ready?: Record<string, unknown>; la?: [number, number][] }) => {
      if (m.ready) {
        proc.settings = m.ready;
        resolve();
      }
      for (const [at, ms] of m.la ?? []) proc.la.push({ at, ms });
    });
    child.once('exit', (code) => reject(new Error(`scale worker exited with ${code}`)));
  });
  return proc;
}

async function runOne(env: TestWorkflowEnvironment, bundle: string, fixtures: DemoFixture[], n: number) {
  const worker = await startWorker(env, bundle);
  await sleep(3000);
  const idleRss = rssMb(worker.child.pid!);
  const ids = Array.from({ length: n }, (_, i) => `scale-${n}-${Date.now()}-${i}`);
  const startedAt = Date.now();
  for (const [i, id] of ids.entries()) {
    // paced: start i at i/n of the ramp (in groups of 10 when there is no ramp)
    const due = startedAt + (rampS * 1000 * i) / n;
    if (due > Date.now() + 5) await sleep(due - Date.now());
    const fixture = fixtures[i % fixtures.length];
    const started = env.client.workflow.start('monitoringWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: id,
      args: [{ plan: fixture.plan, cutoverId: id.replace('scale-', 'bench-') }],
    });
    if (rampS > 0 || i % 10 === 9) await started;
  }
  process.stderr.write(
    `N=${n}: started in ` +
      `${((Date.now() - startedAt) / 1000).toFixed(1)} s; warming up ` +
      `until each has probed once\n`,
  );
  // Measured only in steady state: the start-up backlog (plan loads, first validations) is behind us.
  while (worker.la.length < n) await sleep(500);
  await sleep(5_000);
  process.stderr.write(`N=${n}: warm after ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  const [port] = env.address.split(':').slice(-1);
  const meters = {
    worker: new ProcMeter([worker.child.pid!]),
    server: new ProcMeter(pidsOf('start-dev', `--port ${port}`)),
    services: new ProcMeter(fixtures.flatMap((f) => pidsOf('demo/service/main.ts', f.workdir))),
    client: new ProcMeter([process.pid]),
  };
  const t0 = Date.now();
  const loadBefore = load();
  await sleep(spanS * 1000);
  const t1 = Date.now();
  const [w, server, services, client] = [
    meters.worker.stop(),
    meters.server.stop(),
    meters.services.stop(),
    meters.client.stop(),
  ];
  const mem = await worker.memory();
  const loadAfter = load();
  const la = worker.la.filter((l) => l.at >= t0 && l.at <= t1).map((l) => l.ms);
  const figures = await historyFigures(env.client, ids.slice(0, Math.min(n, 100)), t0, t1);
  let continued = 0;
  for await (const wf of env.client.workflow.list({
    query:
      `WorkflowType = 'monitoringWorkflow' AND ExecutionStatus = ` +
      `'ContinuedAsNew' AND WorkflowId STARTS_WITH 'scale-${n}-'`,
  }))
    if (wf) continued++;
  const probesPerHourAtCadence = 3_600_000 / (figures.probeIntervalMs || 1);
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(
    [
      `N=${n} monitorings, sentinel every ${every}, starts spread ` +
        `over ${rampS} s, ${spanS} s measured, ${fixtures.length} demo ` +
        `V2 services, load avg before ${loadBefore} / after ${loadAfter}`,
      `  worker settings: ${JSON.stringify(worker.settings)}` +
        `${nodeArgs.length ? `, node ${nodeArgs.join(' ')}` : ''}${Object.keys(workerEnv).length ? `, env ${JSON.stringify(workerEnv)}` : ''}`,
      `  workflow task schedule-to-start: p50 ` +
        `${pct(figures.wftLatencies, 50)} ms, p99 ` +
        `${pct(figures.wftLatencies, 99)} ms, max ` +
        `${pct(figures.wftLatencies, 100)} ms (` +
        `${figures.wftLatencies.length} tasks of ${figures.sampled} histories)`,
      `  sentinel local activity schedule-to-start: p50 ` +
        `${pct(la, 50)} ms, p99 ${pct(la, 99)} ms, max ${pct(la, 100)} ` +
        `ms (${la.length} probes, ${(la.length / spanS).toFixed(1)}/s)`,
      `  worker: CPU ${w.cpuPct.toFixed(0)}% of one core (` +
        `${((w.cpuS * 1000) / Math.max(la.length, 1)).toFixed(1)} ms per ` +
        `probe), RSS max ${w.rssMaxMb.toFixed(0)} MB (idle before ` +
        `${idleRss.toFixed(0)} MB → ` +
        `${(((w.rssMaxMb - idleRss) * 1024) / n).toFixed(0)} KB per ` +
        `monitoring); main-thread heap ${mb(mem.heapUsed)}/` +
        `${mb(mem.heapTotal)} MB` +
        `${nodeArgs.includes('--expose-gc') ? ` after a full GC (RSS then ${mb(mem.rss)} MB)` : ''}, ` +
        `external ${mb(mem.external)} MB`,
      `  dev server: CPU ${server.cpuPct.toFixed(0)}%, RSS ` +
        `${server.rssMaxMb.toFixed(0)} MB; demo services: CPU ` +
        `${services.cpuPct.toFixed(0)}%, RSS ` +
        `${services.rssMaxMb.toFixed(0)} MB; bench client: CPU ${client.cpuPct.toFixed(0)}%`,
      `  events per probe ${figures.eventsPerProbe.toFixed(1)} → ` +
        `${Math.round(figures.eventsPerProbe * 60)} events per ` +
        `monitoring-hour at the 1-minute cadence (` +
        `${Math.round(figures.eventsPerProbe * probesPerHourAtCadence)} ` +
        `at ${every}); continue-as-new: ${continued}`,
    ].join('\n'),
  );
  for (let i = 0; i < ids.length; i += 50)
    await Promise.all(
      ids.slice(i, i + 50).map((id) =>
        env.client.workflow
          .getHandle(id)
          .terminate('bench done')
          .catch(() => undefined),
      ),
    );
  worker.child.disconnect();
  await new Promise((r) => worker.child.once('exit', r));
}

async function main() {
  const env = await startDevServer();
  // Built by another process, as production images do (worker/build-bundle.ts).
  const bundle = path.join(os.tmpdir(), `cutover-scale-bundle-${process.pid}.js`);
  execFileSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'worker/build-bundle.ts'), bundle], {
    stdio: 'ignore',
  });
  const fixtures: DemoFixture[] = [];
  try {
    for (let i = 0; i < serviceCount; i++) {
      const fixture = await createDemoFixture({
        mutate: (plan) => {
          plan.name = `scale-${i}`;
          plan.thresholds = { latencySamples: 5, memoryDrift: 0.5 };
          // One full validation at the start only (the span is about the sentinel), no decision points.
          plan.monitoring = {
            duration: '24h',
            cadence: [{ until: '24h', every: '12h' }],
            sentinelEvery: every,
            sentinelRequests: 1,
            summaryEvery: '24h',
            decisionPoints: [],
          };
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
