/**
 * Real traffic through a real router during whole demo cutovers (a benchmark: figures depend on
 * the machine). For each router (HAProxy, nginx) and strategy (cutover, blueGreen, canary): steady
 * load through the router's public port from start to end, every failed request by kind, the
 * 503 + Retry-After window and the longest gap; for `cutover`, that window against V2's own
 * start time; for blueGreen, a rollback during the bake: decision → V1 answering through the router.
 *   npx tsx bench/traffic.ts [--routers haproxy,nginx] [--strategies cutover,blueGreen,canary] [--rate 200]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { startService } from '../activities/service-control';
import type { CutoverView } from '../domain/cutover-model';
import { bundleWorkflows, createWorker, startDevServer } from '../test/helpers/temporal-env';
import { createDemoFixture, type DemoFixture } from '../test/helpers/demo-fixture';
import { startCutover, waitForStatus } from '../test/helpers/cutover-runner';
import { startHaproxy } from '../test/helpers/haproxy';
import { startNginx, upstreamBlock } from '../test/helpers/nginx';
import { freshGet } from '../test/helpers/version-backends';
import { describeLoad, failedTotal, startLoad, type LoadReport } from './load-generator';
import { placeEvents, watchNginxWorkers, type Mark } from './nginx-watch';
import { viewOrThrow } from '../domain/outcome';

const arg = (name: string, dflt: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt;
const routers = arg('routers', 'haproxy,nginx').split(',');
const strategies = arg('strategies', 'cutover,blueGreen,canary').split(',');
const rate = Number(arg('rate', '200'));
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ms = (t?: { seconds?: unknown; nanos?: number | null } | null) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

interface Router {
  publicUrl: string;
  traffic: Record<string, unknown>;
  stop: () => Promise<void>;
  /** nginx: worker changes (reloads) seen during the run */
  marks?: Mark[];
}

async function router(kind: string, f: DemoFixture): Promise<Router> {
  if (kind === 'haproxy') {
    const h = await startHaproxy({ ...f.urls, v2Disabled: true });
    return {
      publicUrl: h.publicUrl,
      stop: h.stop,
      traffic: {
        driver: 'haproxy',
        socket: h.socket,
        backend: 'app',
        servers: { v1: 'v1', v2: 'v2' },
        publicUrl: h.publicUrl,
      },
    };
  }
  // inside the plan's workdir: the include is a path the worker writes (confined there)
  const dir = path.join(f.workdir, 'nginx');
  fs.mkdirSync(dir);
  const n = await startNginx(upstreamBlock([new URL(f.urls.v1).host]), dir);
  const watch = watchNginxWorkers(n.config);
  const stop = () => (watch.stop(), n.stop());
  return {
    publicUrl: n.publicUrl,
    stop,
    marks: watch.marks,
    traffic: { driver: 'nginx', config: n.config, include: n.include, publicUrl: n.publicUrl },
  };
}

async function untilServing(publicUrl: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await freshGet(`${publicUrl}/health`).catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`${publicUrl} did not answer 200 within 30 s of V1's start`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Durations of activities of a type, in the order they ran (from the cutover's history). */
async function activityTimes(client: Client, workflowId: string): Promise<{ type: string; ms: number }[]> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, string>();
  const started = new Map<string, number>();
  const out: { type: string; ms: number }[] = [];
  for (const e of events) {
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
    if (e.activityTaskStartedEventAttributes)
      started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), ms(e.eventTime));
    const done = e.activityTaskCompletedEventAttributes;
    if (done)
      out.push({
        type: scheduled.get(String(done.scheduledEventId)) ?? '?',
        ms: ms(e.eventTime) - (started.get(String(done.scheduledEventId)) ?? ms(e.eventTime)),
      });
  }
  return out;
}

async function oneRun(
  client: Client,
  routerKind: string,
  strategy: string,
  rollbackDuringBake = false,
): Promise<string[]> {
  const f = await createDemoFixture();
  const r = await router(routerKind, f);
  const lines: string[] = [];
  try {
    Object.assign(f.plan, {
      traffic: r.traffic,
      strategy,
      blueGreen: { bakeTime: rollbackDuringBake ? '10m' : '2s' },
      canary: { steps: [{ weight: 10 }, { weight: 50 }, { weight: 100 }] },
    });
    await startService(f.loaded(), 'v1');
    // the load starts once the router serves V1 (HAProxy's first health check may not have run yet)
    await untilServing(r.publicUrl);
    const load = startLoad({ url: `${r.publicUrl}/health`, rate, connections: 8, maxSeconds: 600 });
    const handle = await startCutover(client, f.plan, { autoApprove: true });
    let rollbackMs: number | undefined;
    if (rollbackDuringBake) {
      await waitForStatus(handle, (v) => !!v.traffic?.bakeUntil);
      const t0 = Date.now();
      await handle.signal('rollback', { reason: 'bench: rollback during the bake', by: 'bench' });
      for (;;) {
        const a = await freshGet(`${r.publicUrl}/health`).catch(() => undefined);
        if (a?.status === 200 && JSON.parse(a.body).version === 'v1') break;
        await new Promise((res) => setTimeout(res, 10));
      }
      rollbackMs = Date.now() - t0;
    }
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    const report: LoadReport = await load.stop();
    const name = `${routerKind.padEnd(7)} ${(rollbackDuringBake ? 'blueGreen + rollback in bake' : strategy).padEnd(28)}`;
    lines.push(`${name} ${view.status}: ${describeLoad(report)}`);
    if (failedTotal(report)) lines.push(`  failed requests: ${JSON.stringify(report.failed)}`);
    // every failure and resend, placed against the reload it met
    for (const e of placeEvents(report.events, r.marks ?? [])) lines.push(`    ${e}`);
    if (rollbackMs !== undefined)
      lines.push(`  rollback decision → V1 answering through ${routerKind}: ` + `${s(rollbackMs)} (goal ≤ 2 s)`);
    if (strategy === 'cutover' && !rollbackDuringBake) {
      const acts = await activityTimes(client, handle.workflowId);
      const v1Stop = acts.filter((a) => a.type === 'stopService')[1]?.ms ?? 0;
      const snapshot = acts.filter((a) => a.type === 'backupForCutover')[1]?.ms ?? 0;
      const v2Start = acts.filter((a) => a.type === 'startService').at(-1)?.ms ?? 0;
      const sw = acts.find((a) => a.type === 'switchTraffic')?.ms ?? 0;
      const window = view.traffic?.unservedMs ?? 0;
      lines.push(
        `  unserved window (workflow: V1 stop → V2 verified through the ` +
          `router) ${s(window)} = V1 stop ${s(v1Stop)} + final snapshot ` +
          `${s(snapshot)} + V2 start ${s(v2Start)} + switch & verify ` +
          `${s(sw)} + the rest ${s(window - v1Stop - snapshot - v2Start - sw)};` +
          (` beyond V2's own start: ${s(window - v2Start)}; clients saw ` +
            `503 + Retry-After for ${s(report.maintenance?.ms ?? 0)}`),
      );
    }
  } finally {
    await r.stop();
    await f.cleanup();
  }
  return lines;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main() {
  const loadAtStart = load();
  const env = await startDevServer();
  const worker = await createWorker(env, await bundleWorkflows());
  const out: string[] = [];
  await worker.runUntil(async () => {
    for (const routerKind of routers) {
      for (const strategy of strategies) {
        const lines = await oneRun(env.client, routerKind, strategy);
        process.stderr.write(`${lines.join('\n')}\n`);
        out.push(...lines);
      }
      if (strategies.includes('blueGreen')) {
        const lines = await oneRun(env.client, routerKind, 'blueGreen', true);
        process.stderr.write(`${lines.join('\n')}\n`);
        out.push(...lines);
      }
    }
  });
  await env.teardown();
  console.log(
    `steady load ${rate} req/s over 8 connections, GET /health ` +
      `through the router, demo pipeline 5,000 loans; load average ` +
      `${loadAtStart} at the start, ${load()} at the end`,
  );
  for (const l of out) console.log(l);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
