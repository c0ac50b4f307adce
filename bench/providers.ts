import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInlinePlan } from '../activities/plan-loader';
import { prometheusProvider } from '../activities/checks/providers/prometheus';
import { sqlProvider } from '../activities/checks/providers/sql';
import type { ProviderAnswer, ProviderContext } from '../activities/checks/providers/provider';
import { generateDataset, startDemoService } from '../demo/harness';
import { startPostgres } from '../test/helpers/postgres';
import { startPrometheus } from '../test/helpers/prometheus';

/**
 * Wall time of one prometheus and one sql check, each against the real component, with a demo
 * V2 publishing into the PostgreSQL and scraped by the Prometheus. Not a test: the figures
 * depend on the machine. A check opens a fresh PostgreSQL connection each time (nothing pooled
 * across checks), so the sql figure includes connect + SCRAM authentication.
 *   npx tsx bench/providers.ts [--rows 100000] [--runs 30]
 */
const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const ROWS = Number(opt('rows', '100000'));
const RUNS = Number(opt('runs', '30'));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function time(label: string, run: () => Promise<ProviderAnswer>): Promise<void> {
  const first = await run(); // warm-up, and proof that it answers
  if (!first.ok) throw new Error(`${label}: ${first.inconclusive}`);
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  console.log(
    `${label.padEnd(46)} median ${pct(ms, 0.5).toFixed(1)} ms  p95 ` +
      `${pct(ms, 0.95).toFixed(1)} ms  (${first.summary.slice(0, 60)})`,
  );
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-bench-providers-'));
  generateDataset(path.join(dir, 'data'), { rows: ROWS, seed: 42, csv: 'never' });
  const db = await startPostgres();
  const svc = await startDemoService({
    version: 'v2',
    dataDir: path.join(dir, 'data'),
    env: { DEMO_WAREHOUSE_URL: db.url },
  });
  const prom = await startPrometheus([{ job: 'loans-v2', address: `127.0.0.1:${svc.port}` }]);
  const traffic = setInterval(
    () =>
      void fetch(`${svc.url}/audit?limit=1`).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      ),
    50,
  );
  try {
    const service = {
      name: 'loans-v2',
      driver: 'exec',
      start: ['true'],
      stop: ['true'],
      status: ['true'],
      baseUrl: svc.url,
    };
    const plan = {
      name: 'bench',
      services: { v1: { ...service, name: 'loans-v1' }, v2: service },
      backup: { paths: ['data'] },
      tests: { command: ['true'] },
      approvals: { approvers: { engineering: ['a'], operations: ['b'], dataQuality: ['c'] } },
      prometheus: { address: prom.url },
      databases: { warehouse: { urlEnv: 'WAREHOUSE_URL' } },
    };
    const loaded = loadInlinePlan(plan, dir);
    const ctx: ProviderContext = {
      loaded,
      target: { role: 'v2', service: loaded.plan.services.v2 },
      vars: { service: 'loans-v2', version: 'v2', window: '1m', baseUrl: loaded.plan.services.v2.baseUrl },
      env: { WAREHOUSE_URL: db.url },
    };
    await prom.waitForData('rate(demo_http_requests_total{job="loans-v2",route="/audit"}[10s])');
    while ((await db.sql('SELECT 1 FROM kpi_results LIMIT 1').catch(() => [])).length === 0)
      await new Promise((r) => setTimeout(r, 200));

    const errorRate =
      'sum(rate(demo_http_errors_total{job="{{ service }}"}[{{ window ' +
      '}}]) or vector(0)) / sum(rate(demo_http_requests_total{job="{{ ' +
      'service }}",route="/audit"}[{{ window }}]))';
    await time('prometheus instant: error rate over 1m', () =>
      prometheusProvider({ query: errorRate, window: '1m' }, ctx),
    );
    await time('prometheus range: p95 latency, 1m at 5s', () =>
      prometheusProvider(
        {
          query:
            'histogram_quantile(0.95, sum by (le) ' +
            '(rate(demo_http_request_duration_seconds_bucket{job="{{ service }}"}[10s])))',
          window: '1m',
          step: '5s',
        },
        ctx,
      ),
    );
    await time('sql scalar: one published KPI', () =>
      sqlProvider(
        {
          database: 'warehouse',
          query:
            `SELECT value FROM kpi_results WHERE version = {{ version }} ` + `AND grp_kind = 'total' AND kpi = 'par30'`,
          timeout: '10s',
        },
        ctx,
      ),
    );
    await time('sql rows: every published figure (165 rows)', () =>
      sqlProvider(
        {
          database: 'warehouse',
          query: 'SELECT grp_kind, grp, kpi, value FROM kpi_results WHERE ' + 'version = {{ version }}',
          timeout: '10s',
        },
        ctx,
      ),
    );

    // detection: how long after a 6% error rate starts does the windowed rate read ≥ 5%?
    for (const window of ['15s', '30s']) {
      await fetch(`${svc.url}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"errorRate":0.06}',
      });
      const t = performance.now();
      for (;;) {
        const a = await prometheusProvider({ query: errorRate, window }, { ...ctx, vars: { ...ctx.vars, window } });
        if (a.ok && (a.value as number) >= 0.05) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      console.log(
        `${`detect 6% errors, rate over ${window} ≥ 5%`.padEnd(46)} ` +
          `${((performance.now() - t) / 1000).toFixed(1)} s after ` +
          `injection (scrape every 1 s)`,
      );
      await fetch(`${svc.url}/admin/faults`, { method: 'DELETE' });
      const clear = performance.now();
      for (;;) {
        const a = await prometheusProvider({ query: errorRate, window }, { ...ctx, vars: { ...ctx.vars, window } });
        if (a.ok && a.value === 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      console.log(
        `${`  … and back to 0 after the fault is cleared`.padEnd(46)} ${((performance.now() - clear) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    clearInterval(traffic);
    await Promise.all([svc.stop(), prom.stop(), db.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
