/**
 * Memory trends, measured: short monitorings of a freshly started demo V2 under steady load (the
 * demo plan's own `memory` check, sentinel every 5 s), clean ones that must never warn of a trend
 * (climb or drift) and leaking ones (the demo's `memoryLeakMbPerSec` fault) that must be flagged,
 * each with the time to flag. Not a test: it takes minutes and the times depend on the machine;
 * whether a run warns depends only on the readings, which the bench prints.
 *   npx tsx bench/trend.ts [--clean 20] [--leak 10] [--parallel 10] [--duration 4m] [--rate 20]
 *     [--leak-mb 1] [--leak-at SECONDS] [--dump FILE]
 * `--dump` writes each run's memory readings (JSON) to replay rule changes against them.
 */
import { backupForCutover } from '../activities/backup-steps';
import { startService } from '../activities/service-control';
import type { MonitoringView } from '../domain/monitoring-model';
import { parseDuration } from '../domain/duration';
import { TASK_QUEUE } from '../domain/names';
import { createDemoFixture, type DemoFixture } from '../test/helpers/demo-fixture';
import { demoPlanChecks } from '../test/helpers/demo-plan-checks';
import { bundleWorkflows, createWorker, startDevServer } from '../test/helpers/temporal-env';
import { startLoad, type RunningLoad } from './load-generator';
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const cleanRuns = Number(opt('clean', '20'));
const leakRuns = Number(opt('leak', '10'));
const parallel = Number(opt('parallel', '10'));
const durationMs = parseDuration(opt('duration', '4m'));
const rate = Number(opt('rate', '20'));
const leakMb = Number(opt('leak-mb', '1'));
const leakAtMs = Number(opt('leak-at', '0')) * 1000;
const dump = opt('dump', '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg()[0].toFixed(1);

interface Result {
  kind: 'clean' | 'leak';
  n: number;
  status: string;
  /** the first warning of each trend rule seen while it ran, with the seconds since the monitoring began */
  trendWarnings: { s: number; rule: string; text: string }[];
  /** seconds from the leak's start to the first trend warning */
  flagS?: number;
  memory: string;
  probes: number;
  /** the memory readings, for --dump */
  readings: { offsetMs: number; memoryMb: number }[];
  leakAtS?: number;
}

const ruleOf = (warning: string) =>
  /climbing/.test(warning) ? 'climb' : /from the reference/.test(warning) ? 'drift' : 'other';
const memoryCheck = () => demoPlanChecks().checks.filter((c: any) => c.name === 'memory');

async function one(
  env: Awaited<ReturnType<typeof startDevServer>>,
  kind: Result['kind'],
  n: number,
  fixture: DemoFixture,
): Promise<Result> {
  let traffic: RunningLoad | undefined;
  try {
    await startService(fixture.loaded(), 'v2');
    const cutoverId = `bench-trend-${kind}-${n}-${Date.now()}`;
    await backupForCutover(fixture.loaded(), cutoverId);
    // steady user traffic from V2's first seconds, as after a cutover's switch
    traffic = startLoad({
      url: `${fixture.urls.v2}/kpis`,
      rate,
      connections: 2,
      maxSeconds: Math.ceil(durationMs / 1000) + 120,
    });
    const handle = await env.client.workflow.start('monitoringWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `${cutoverId}-monitoring`,
      args: [{ plan: fixture.plan, cutoverId }],
    });
    const began = performance.now();
    let leakStarted: number | undefined;
    const seen: Result['trendWarnings'] = [];
    let view: MonitoringView;
    for (;;) {
      if (kind === 'leak' && leakStarted === undefined && performance.now() - began >= leakAtMs) {
        await setFaults(fixture.urls.v2, { memoryLeakMbPerSec: leakMb });
        leakStarted = performance.now();
      }
      // a busy machine can time a query out: ask again at the next poll
      const read = await handle.query<MonitoringView>('status').catch(() => undefined);
      if (!read) {
        await sleep(2_000);
        continue;
      }
      view = read;
      // the first warning of each rule (the entry is kept at its latest value, so it changes every probe)
      for (const w of view.warnings.filter((x) => /trend/.test(x))) {
        const rule = ruleOf(w);
        if (!seen.some((s) => s.rule === rule)) seen.push({ s: (performance.now() - began) / 1000, rule, text: w });
      }
      if (!['MONITORING', 'STARTING', 'AWAITING_DECISION'].includes(view.status)) break;
      await sleep(1_000);
    }
    await handle.result().catch(() => undefined);
    const mem = (view.sentinelSamples ?? []).map((s) => s.memoryMb).filter((m): m is number => m !== null);
    const first = seen[0];
    return {
      kind,
      n,
      status: view.status,
      trendWarnings: seen,
      flagS: first && leakStarted !== undefined ? first.s - (leakStarted - began) / 1000 : undefined,
      memory: mem.length ? `${mem[0].toFixed(1)} → ${mem.at(-1)!.toFixed(1)} MB` : '–',
      probes: view.probes ?? 0,
      readings: (view.sentinelSamples ?? []).flatMap((s) =>
        s.memoryMb === null ? [] : [{ offsetMs: s.offsetMs, memoryMb: s.memoryMb }],
      ),
      leakAtS: leakStarted === undefined ? undefined : (leakStarted - began) / 1000,
    };
  } finally {
    await traffic?.stop();
    await fixture.cleanup();
  }
}

async function setFaults(url: string, faults: Record<string, unknown>) {
  const res = await fetch(`${url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`faults refused: ${res.status} ${await res.text()}`);
}

async function fixtureFor(kind: string, n: number): Promise<DemoFixture> {
  const s = Math.round(durationMs / 1000);
  return createDemoFixture({
    mutate: (plan) => {
      plan.services.v2.name = `trend-${kind}-${n}`;
      // The demo plan's memory check as it is (warm-up 1h: a plan this short waits for its first
      // checkpoint and a quarter of its length), alone: no other check can warn.
      plan.checks = memoryCheck();
      plan.monitoring = {
        duration: `${s}s`,
        cadence: [{ until: `${s}s`, every: '2m' }],
        sentinelEvery: '5s',
        sentinelPath: '/kpis',
        summaryEvery: '10m',
        decisionPoints: [],
      };
    },
  });
}

async function main() {
  const env = await startDevServer();
  const worker = await createWorker(env, await bundleWorkflows(), {}, {});
  const running = worker.run();
  const results: Result[] = [];
  const loads: string[] = [load()];
  try {
    const jobs: [Result['kind'], number][] = [
      ...Array.from({ length: cleanRuns }, (_, i) => ['clean', i + 1] as [Result['kind'], number]),
      ...Array.from({ length: leakRuns }, (_, i) => ['leak', i + 1] as [Result['kind'], number]),
    ];
    for (let at = 0; at < jobs.length; at += parallel) {
      const batch = jobs.slice(at, at + parallel);
      const fixtures = await Promise.all(batch.map(([k, n]) => fixtureFor(k, n)));
      const done = await Promise.all(batch.map(([k, n], i) => one(env, k, n, fixtures[i])));
      results.push(...done);
      loads.push(load());
      for (const r of done) console.log(row(r));
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
  console.log(
    `\n${fmtS(durationMs)} monitorings, sentinel 5 s, ${rate} req/s of /kpis on V2, ` +
      `${parallel} at a time; load average (1 min) per batch: ${loads.join(' → ')}`,
  );
  console.log('| run | status | probes | memory (first → last sample) | trend WARNs | time to flag |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) console.log(row(r));
  if (dump) writeFileSync(dump, JSON.stringify(results, null, 1));
  const clean = results.filter((r) => r.kind === 'clean');
  const leak = results.filter((r) => r.kind === 'leak');
  const flags = leak.map((r) => r.flagS).filter((s): s is number => s !== undefined);
  console.log(
    `clean: ${clean.filter((r) => r.trendWarnings.length).length} of ${clean.length} with a trend WARN; ` +
      `${leakMb} MB/s leak from ${fmtS(leakAtMs)}: flagged in ${flags.length} of ${leak.length}` +
      (flags.length ? ` (${Math.min(...flags).toFixed(0)}–${Math.max(...flags).toFixed(0)} s after it began)` : ''),
  );
}

const fmtS = (ms: number) => `${Math.round(ms / 1000)} s`;
const row = (r: Result) =>
  `| ${r.kind} ${r.n} | ${r.status} | ${r.probes} | ${r.memory} | ` +
  `${r.trendWarnings.map((w) => `${w.rule} at ${w.s.toFixed(0)} s: "${w.text.slice(0, 110)}…"`).join('<br>') || '0'} | ` +
  `${r.flagS !== undefined ? `${r.flagS.toFixed(0)} s` : r.kind === 'leak' ? '**missed**' : '–'} |`;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
