/**
 * Checks as data, measured on the demo plan's own checks (http, prometheus, sql, command,
 * compare) against real demo services, PostgreSQL and Prometheus. Not a test: figures depend on
 * the machine.
 *   npx tsx bench/checks.ts [--rows 100000] [--runs 9]     one Phase 5 validation (goal ≤ 1 s)
 *   npx tsx bench/checks.ts --rollback [--sentinel 5s]      6% errors → rollback started, the
 *     sentinel reading Prometheus only (goal ≤ 60 s); steady traffic on V2 meanwhile
 */
import { startService } from '../activities/service-control';
import { backupForCutover } from '../activities/backup-steps';
import { baselineFromShadow, runChecksAt } from '../activities/checks/run-checks';
import { runProductionValidation } from '../activities/checks/production-validation';
import type { MonitoringView } from '../domain/monitoring-model';
import { TASK_QUEUE } from '../domain/names';
import { createDemoFixture } from '../test/helpers/demo-fixture';
import { withDemoPlanChecks } from '../test/helpers/demo-plan-checks';
import { bundleWorkflows, createWorker, startDevServer } from '../test/helpers/temporal-env';
import { viewOrThrow } from '../domain/outcome';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setFaults(url: string, faults: Record<string, unknown>) {
  await fetch(`${url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

async function main() {
  const rollback = args.includes('--rollback');
  const fixture = await createDemoFixture({ rows: Number(opt('rows', rollback ? '5000' : '100000')) });
  const parts = await withDemoPlanChecks(fixture);
  let traffic = true;
  try {
    await startService(fixture.loaded(), 'v1');
    await startService(fixture.loaded(), 'v2');
    // User traffic: what a real error rate is measured over.
    const load = (async () => {
      while (traffic) {
        await fetch(`${fixture.urls.v2}/kpis`).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
        await sleep(50);
      }
    })();
    await parts.prom.waitForData('sum(rate(demo_http_requests_total{job="loans-v2"}[30s])) > 0');
    const baseline = baselineFromShadow(await runChecksAt(fixture.loaded(), 'v2', 'shadow', { v1Live: true }));
    if (!rollback) await validationFigures(fixture, baseline);
    else await rollbackFigures(fixture, baseline);
    traffic = false;
    await load;
  } finally {
    traffic = false;
    await fixture.cleanup();
    await parts.stop();
  }
}

async function validationFigures(
  fixture: Awaited<ReturnType<typeof createDemoFixture>>,
  baseline: Record<string, number>,
) {
  const runs = Number(opt('runs', '9'));
  await runProductionValidation(fixture.loaded(), 'v2', { baseline, moment: 'phase5' }); // warm-up
  const times: number[] = [];
  const perCheck: Record<string, number[]> = {};
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const outcomes = await runChecksAt(fixture.loaded(), 'v2', 'phase5', { baseline });
    times.push(performance.now() - started);
    for (const o of outcomes) (perCheck[`${o.name} (${o.provider})`] ??= []).push(o.durationMs);
    const bad = outcomes.filter((o) => o.status !== 'PASS');
    if (bad.length) console.log(`run ${r + 1}: ${bad.map((o) => `${o.name} ${o.status}: ${o.message}`).join('; ')}`);
  }
  console.log(`demo plan validation (${Object.keys(perCheck).length} data checks, every provider), ${runs} runs`);
  console.log(
    `  median ${median(times).toFixed(0)} ms (min ` +
      `${Math.min(...times).toFixed(0)}, max ` +
      `${Math.max(...times).toFixed(0)}); goal ≤ 1000 ms`,
  );
  for (const [name, ms] of Object.entries(perCheck))
    console.log(`  ${name.padEnd(32)} median ${median(ms).toFixed(0)} ms`);
}

async function rollbackFigures(
  fixture: Awaited<ReturnType<typeof createDemoFixture>>,
  baseline: Record<string, number>,
) {
  const sentinel = opt('sentinel', '5s');
  // Only Prometheus sees errors: the built-in counter rate of the demo contract is switched off.
  fixture.plan.validation = { requestsMetric: 'bench_no_such_metric', errorsMetric: 'bench_no_such_metric' };
  fixture.plan.monitoring = {
    ...fixture.plan.monitoring,
    duration: '20m',
    cadence: [{ until: '20m', every: '10m' }],
    sentinelEvery: sentinel,
    summaryEvery: '10m',
    decisionPoints: [
      { at: '20m', label: 'Final sign-off', roles: ['engineering'], timeout: '1m', onTimeout: 'continue' },
    ],
  };
  const env = await startDevServer();
  const worker = await createWorker(env, await bundleWorkflows(), {}, {});
  const running = worker.run();
  try {
    const loaded = fixture.loaded();
    const cutoverId = `bench-checks-${Date.now()}`;
    await backupForCutover(loaded, cutoverId);
    const handle = await env.client.workflow.start('monitoringWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `${cutoverId}-monitoring`,
      args: [{ plan: fixture.plan, cutoverId, baseline }],
    });
    await sleep(15_000); // steady state: a few clean sentinel probes
    const injected = performance.now();
    await setFaults(fixture.urls.v2, { errorRate: 0.06 });
    for (;;) {
      const view = await handle.query<MonitoringView>('status');
      if (view.status === 'ROLLING_BACK' || view.status === 'ROLLED_BACK') {
        console.log(
          `6% errors on V2 → rollback started: ` +
            `${((performance.now() - injected) / 1000).toFixed(1)} s ` +
            `(sentinel every ${sentinel}, error_rate window 30s, scrape 1 ` +
            `s); goal ≤ 60 s`,
        );
        console.log(`  because: ${view.message}`);
        break;
      }
      if (performance.now() - injected > 180_000)
        throw new Error(`no rollback after 180 s: ${view.status} ${view.message}`);
      await sleep(250);
    }
    await handle.result().catch(viewOrThrow);
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
