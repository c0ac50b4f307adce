import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readColumnar } from '../demo/pipeline/columnar-format';
import { readCsvRows } from '../demo/pipeline/csv-format';
import { writeDataset } from '../demo/pipeline/dataset-writer';
import { computeKpisV1 } from '../demo/pipeline/kpi-v1';
import { computeHeadlineV2, computeKpisV2 } from '../demo/pipeline/kpi-v2';
import { kpiDifferences } from '../demo/pipeline/kpi-types';
import type { LoanColumns } from '../demo/pipeline/loan-columns';
import { dayToIsoDate, PRODUCTS, REGIONS, SEGMENTS, STATUSES, type LoanRow } from '../demo/pipeline/loan-schema';
import { generatePortfolio } from '../demo/pipeline/portfolio-generator';

/**
 * KPI throughput of V1 and V2 (not a test: numbers depend on the machine).
 *   npx tsx bench/kpi.ts [--sizes 1000000,10000000] [--runs 7] [--v1-max-rows 10000000] [--no-load]
 * Data is generated in memory with seed 42; V1 gets row objects as its CSV parser yields them,
 * so the figures are compute only. A separate line times loading 1M rows from files.
 */
const SEED_ROWS_PER_SEC = 55e6; // the seed document's figure for its V2
const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const SIZES = opt('sizes', '1000000,10000000').split(',').map(Number);
const RUNS = Number(opt('runs', '7'));
const V1_MAX = Number(opt('v1-max-rows', '10000000'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of `runs` timed calls after 2 warm-up calls (so the JIT has optimized). */
function time(fn: () => unknown, runs: number): number {
  fn();
  fn();
  const secs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    fn();
    secs.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return median(secs);
}

function memoryReadGBps(): number {
  const a = new Float64Array(100_000_000).fill(1.25); // 800 MB, far beyond any cache
  const sum = (): number => {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < a.length; i += 4) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
    }
    return s0 + s1 + s2 + s3;
  };
  return a.byteLength / time(sum, 5) / 1e9;
}

function toRows(c: LoanColumns): LoanRow[] {
  const rows: LoanRow[] = new Array(c.rows);
  for (let i = 0; i < c.rows; i++) {
    rows[i] = {
      loanId: c.loanId[i],
      segment: SEGMENTS[c.segment[i]],
      region: REGIONS[c.region[i]],
      product: PRODUCTS[c.product[i]],
      principal: c.principal[i],
      outstanding: c.outstanding[i],
      apr: c.apr[i],
      originationDate: dayToIsoDate(c.originationDay[i]),
      termMonths: c.termMonths[i],
      daysPastDue: c.daysPastDue[i],
      status: STATUSES[c.status[i]],
      amountDue: c.amountDue[i],
      amountCollected: c.amountCollected[i],
    };
  }
  return rows;
}

const fmt = (rowsPerSec: number): string => `${(rowsPerSec / 1e6).toFixed(1).padStart(7)}M rows/s`;
const line = (label: string, rows: number, secs: number, vsSeed = true): void =>
  console.log(
    `  ${label.padEnd(44)} ${fmt(rows / secs)}  ${(secs * 1000).toFixed(1).padStart(8)} ms` +
      (vsSeed ? `  (${(rows / secs / SEED_ROWS_PER_SEC).toFixed(1)}x seed)` : ''),
  );

console.log(
  `node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x` +
    `${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} ` +
    `GiB; median of ${RUNS} runs`,
);
const bw = memoryReadGBps();
console.log(`single-core memory read (sum of an 800 MB Float64Array): ${bw.toFixed(2)} GB/s`);
console.log(`seed document's V2: ${fmt(SEED_ROWS_PER_SEC)}\n`);

// Loading first: timed after the 10M-row section it pays for that heap's garbage collection.
if (!args.includes('--no-load')) {
  const n = 1_000_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kpi-'));
  writeDataset(dir, { rows: n, seed: 42, csv: 'always' });
  console.log(`loading ${n.toLocaleString('en-US')} rows from files (what a service start costs)`);
  line(
    'V1 parse CSV to row objects',
    n,
    time(() => readCsvRows(path.join(dir, 'loans.csv')), 3),
    false,
  );
  line(
    'V2 map binary columns',
    n,
    time(() => readColumnar(path.join(dir, 'loans.col')), 3),
    false,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('');
}

for (const n of SIZES) {
  const cols = generatePortfolio(n, 42);
  console.log(`${n.toLocaleString('en-US')} rows`);
  const full = time(() => computeKpisV2(cols), RUNS);
  line('V2 all 11 KPIs (45 B/row)', n, full);
  console.log(`${''.padEnd(48)}= ${((n * 45) / full / 1e9).toFixed(2)} GB/s of column data`);
  line(
    'V2 headline: outstanding, PAR30/90, default',
    n,
    time(() => computeHeadlineV2(cols), RUNS),
  );
  line(
    'V2 all KPIs by segment',
    n,
    time(() => computeKpisV2(cols, 'segment'), RUNS),
  );
  if (n <= V1_MAX) {
    const rows = toRows(cols);
    line(
      'V1 all 11 KPIs (row objects)',
      n,
      time(() => computeKpisV1(rows), Math.min(RUNS, 3)),
    );
    line(
      'V1 all KPIs by segment',
      n,
      time(() => computeKpisV1(rows, 'segment'), Math.min(RUNS, 3)),
    );
    const diff = kpiDifferences(computeKpisV1(rows).kpis, computeKpisV2(cols).kpis, 1e-4);
    console.log(`  V1 vs V2 within 0.01 % on every KPI: ${diff.length === 0 ? 'yes' : 'NO: ' + diff.join(', ')}`);
  } else {
    console.log(`  V1 skipped above --v1-max-rows ${V1_MAX}`);
  }
  console.log('');
}
