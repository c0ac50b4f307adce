/**
 * Error rate over real traffic, measured: demo V2 behind a real HAProxy that health-checks it 4
 * times a second, scraped by a real Prometheus, and no traffic but the monitoring's own (the
 * sentinel's synthetic /kpis every 5 s). The demo's fault API makes a share of /kpis fail; the
 * monitoring must roll back on 6% in every run and only WARN on 0.5%. Not a test: it takes
 * minutes and its timings depend on the machine.
 *   npx tsx bench/error-rate.ts [--runs 5] [--only 6,0.5] [--watch 4m]
 */
import os from 'node:os';
import { backupForCutover } from '../activities/backup-steps';
import { startService } from '../activities/service-control';
import { readingFrom } from '../activities/checks/service-metrics';
import type { MonitoringView } from '../domain/monitoring-model';
import { parseDuration } from '../domain/duration';
import { TASK_QUEUE } from '../domain/names';
import { createDemoFixture, type DemoFixture } from '../test/helpers/demo-fixture';
import { demoPlanChecks } from '../test/helpers/demo-plan-checks';
import { startHaproxy, type HaproxyRouter } from '../test/helpers/haproxy';
import { startPrometheus } from '../test/helpers/prometheus';
import { bundleWorkflows, createWorker, startDevServer } from '../test/helpers/temporal-env';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const runs = Number(opt('runs', '5'));
const rates = opt('only', '6,0.5').split(',').map(Number);
const watchMs = parseDuration(opt('watch', '4m'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WARM_MS = 20_000;

interface Run {
  fixture: DemoFixture;
  router: HaproxyRouter;
  job: string;
}

async function prepare(i: number, seq: number): Promise<Run> {
  const job = `bench-v2-${seq}-${i}`;
  const fixture = await createDemoFixture({
    mutate: (plan) => {
      plan.services.v2.name = job;
      // Only the demo plan's error_rate check (the Prometheus one) beside the built-in rate.
      plan.checks = demoPlanChecks().checks.filter((c: any) => c.name === 'error_rate');
      plan.monitoring = {
        duration: `${Math.round(watchMs / 1000) + 30}s`,
        cadence: [{ until: `${Math.round(watchMs / 1000) + 30}s`, every: '2m' }],
        sentinelEvery: '5s',
        sentinelPath: '/kpis',
        summaryEvery: '10m',
        decisionPoints: [],
      };
      // the batch's Prometheus is started once every V2 has its port (prometheusFor)
      plan.prometheus = { address: 'http://127.0.0.1:9' };
    },
  });
  // V2 in the backend and health-checked every 250 ms, as the demo router does (no user traffic)
  const router = await startHaproxy({ v1: fixture.urls.v1, v2: fixture.urls.v2, v2Disabled: false });
  return { fixture, router, job };
}

async function setFaults(url: string, faults: Record<string, unknown>) {
  const res = await fetch(`${url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`faults refused: ${res.status} ${await res.text()}`);
}

/** What the same counters read with and without the selector (the old denominator counted everything). */
async function denominators(url: string) {
  const text = await fetch(`${url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const user = readingFrom(text, 'demo_http_requests_total{kind="user"}', 'demo_http_errors_total{kind="user"}');
  const all = readingFrom(text, 'demo_http_requests_total', 'demo_http_errors_total');
  return { user, all };
}

async function main() {
  const env = await startDevServer();
  const worker = await createWorker(env, await bundleWorkflows(), {}, {});
  const running = worker.run();
  const summary: string[] = [];
  try {
    for (const [seq, pct] of rates.entries()) {
      const batch = await Promise.all(Array.from({ length: runs }, (_, i) => prepare(i, seq)));
      const prom = await startPrometheus(batch.map((r) => ({ job: r.job, address: new URL(r.fixture.urls.v2).host })));
      const outcomes: string[] = [];
      let rolledBack = 0;
      const detect: number[] = [];
      try {
        for (const [i, r] of batch.entries()) {
          r.fixture.plan.prometheus = { address: prom.url };
          await startService(r.fixture.loaded(), 'v2');
          await backupForCutover(r.fixture.loaded(), `bench-error-rate-${seq}-${i}`);
        }
        const handles = await Promise.all(
          batch.map((r, i) =>
            env.client.workflow.start('monitoringWorkflow', {
              taskQueue: TASK_QUEUE,
              workflowId: `bench-error-rate-${Date.now()}-${seq}-${i}`,
              args: [{ plan: r.fixture.plan, cutoverId: `bench-error-rate-${seq}-${i}` }],
            }),
          ),
        );
        await sleep(WARM_MS);
        const injected = performance.now();
        await Promise.all(batch.map((r) => setFaults(r.fixture.urls.v2, { errorRate: pct / 100 })));
        await Promise.all(
          batch.map(async (r, i) => {
            let seen: { user: ReturnType<typeof readingFrom>; all: ReturnType<typeof readingFrom> } | undefined;
            for (;;) {
              // a busy machine can time a query out: ask again at the next poll
              const view = await handles[i].query<MonitoringView>('status').catch(() => undefined);
              if (!view) {
                await sleep(2_000);
                continue;
              }
              const last = view.sentinelSamples?.at(-1);
              const measured = last
                ? `${last.errorRatePct}% | ${last.errorRateRequests}${last.errorRateNote ? ' (inconclusive)' : ''}`
                : '– | –';
              if (view.status === 'ROLLING_BACK' || view.status === 'ROLLED_BACK') {
                const s = (performance.now() - injected) / 1000;
                detect.push(s);
                rolledBack++;
                outcomes.push(`| ${i + 1} | rollback | ${measured} | ${s.toFixed(1)} s | ${view.rollback?.reason} |`);
                break;
              }
              if (view.status === 'COMPLETED' || view.status === 'FAILED') {
                const warns = view.warnings.filter((w) => /error/.test(w));
                const d = seen ?? (await denominators(r.fixture.urls.v2));
                const pctOf = (x: { errors: number; requests: number }) =>
                  `${((x.errors / x.requests) * 100).toFixed(2)}% (${x.errors} of ${x.requests})`;
                outcomes.push(
                  `| ${i + 1} | ${view.status}, ${warns.length ? 'WARN' : 'no error-rate WARN'}, no rollback | ` +
                    `${measured} | – | ${warns.join('<br>')}; V2's lifetime counters: user traffic ` +
                    `${pctOf(d.user)}, every request counted ${pctOf(d.all)} |`,
                );
                break;
              }
              // just before the end, what the denominators read (V2 is still up)
              if (performance.now() - injected > watchMs - 5_000 && !seen) seen = await denominators(r.fixture.urls.v2);
              await sleep(500);
            }
          }),
        );
        await Promise.all(handles.map((h) => h.result().catch(() => undefined)));
      } finally {
        await prom.stop();
        for (const r of batch) {
          await r.router.stop();
          await r.fixture.cleanup();
        }
      }
      const line =
        `${pct}% of /kpis failing, router health checks on, no user ` +
        `traffic, sentinel 5 s: rollback in ${rolledBack} of ${runs} runs` +
        (detect.length
          ? ` (${Math.min(...detect).toFixed(0)}–` + `${Math.max(...detect).toFixed(0)} s after the fault)`
          : '');
      console.log(line);
      console.log(`| run | verdict | monitoring's rate (last probe) | requests counted | time to rollback | why |`);
      console.log('|---|---|---|---|---|---|');
      for (const o of outcomes) console.log(o);
      console.log(`load average (1 min): ${os.loadavg()[0].toFixed(1)}`);
      summary.push(line);
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
  console.log(summary.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
