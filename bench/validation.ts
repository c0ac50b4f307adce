import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDataset, startDemoService } from '../demo/harness';
import { loadInlinePlan } from '../activities/plan-loader';
import { runProductionValidation } from '../activities/checks/production-validation';
import { CHECK_NAMES } from '../domain/validation-report';

/**
 * Wall time of one full production validation (5 checks, 20 latency samples) against a locally
 * started demo V2. Not a test: the figure depends on the machine. Goal: median ≤ 1 s.
 *   npx tsx bench/validation.ts [--rows 100000] [--runs 9]
 * The KPI baseline is V2's own clean answer, read once before the runs (V1 would only add start time).
 */
const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const ROWS = Number(opt('rows', '100000'));
const RUNS = Number(opt('runs', '9'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-bench-validation-'));
  generateDataset(path.join(dir, 'data'), { rows: ROWS, seed: 42, csv: 'never' });
  const svc = await startDemoService({ version: 'v2', dataDir: path.join(dir, 'data') });
  try {
    // Only baseUrl matters to the checks; the rest makes the plan valid.
    const service = (name: string) => ({
      name,
      driver: 'exec',
      start: ['true'],
      stop: ['true'],
      status: ['true'],
      baseUrl: svc.url,
    });
    const approvers = { engineering: ['a'], operations: ['b'], dataQuality: ['c'] };
    const plan = {
      name: 'bench',
      services: { v1: service('unused-v1'), v2: service('loans-v2') },
      backup: { paths: ['data'] },
      tests: { command: ['true'] },
      approvals: { approvers },
    };
    const loaded = loadInlinePlan(plan, dir);
    const baseline = ((await (await fetch(`${svc.url}/kpis`)).json()) as { kpis: Record<string, number> }).kpis;

    await runProductionValidation(loaded, 'v2', { baseline }); // warm-up: JIT and keep-alive connections
    const times: number[] = [];
    const perCheck: Record<string, number[]> = {};
    for (let r = 0; r < RUNS; r++) {
      const started = performance.now();
      const report = await runProductionValidation(loaded, 'v2', { baseline });
      times.push(performance.now() - started);
      if (report.status !== 'PASS') console.log(`run ${r + 1}: ${report.status}`);
      (perCheck.avgLatencyMs ??= []).push(report.checks.performance.metrics.avgMs as number);
    }
    console.log(
      `production validation, ${CHECK_NAMES.length} checks, V2 on ` + `${ROWS.toLocaleString('en')} rows, ${RUNS} runs`,
    );
    console.log(
      `  median ${median(times).toFixed(0)} ms (min ` +
        `${Math.min(...times).toFixed(0)}, max ` +
        `${Math.max(...times).toFixed(0)}); goal ≤ 1000 ms`,
    );
    console.log(`  /kpis avg latency, median over runs: ${median(perCheck.avgLatencyMs).toFixed(2)} ms`);
  } finally {
    await svc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
