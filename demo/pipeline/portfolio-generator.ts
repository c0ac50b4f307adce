import { mulberry32 } from './prng';
import { allocColumns, sliceColumns, type LoanColumns } from './loan-columns';
import { isoDateToDay, STATUS_CODE } from './loan-schema';

/**
 * Deterministic loan portfolio: row i depends only on (seed, i's position in one PRNG stream), so
 * any chunk size gives the same rows. Money is rounded to cents and APR to 4 decimals so that the
 * CSV text round-trips to exactly the same doubles the binary file holds (V1 == V2 bit for bit).
 */
export const AS_OF_DATE = '2025-12-31';
const AS_OF_DAY = isoDateToDay(AS_OF_DATE);
const FIRST_ORIGINATION_DAY = isoDateToDay('2018-01-01');

const SEGMENT_WEIGHTS = [0.5, 0.25, 0.1, 0.15]; // retail, sme, corporate, microfinance
// product weights per segment: personal, mortgage, auto, business, credit_card
const PRODUCT_WEIGHTS = [
  [0.3, 0.2, 0.2, 0.0, 0.3],
  [0.05, 0.05, 0.1, 0.75, 0.05],
  [0.0, 0.1, 0.05, 0.85, 0.0],
  [0.5, 0.0, 0.0, 0.45, 0.05],
];
const PRINCIPAL_RANGE = [
  [1_000, 40_000],
  [60_000, 900_000],
  [8_000, 80_000],
  [5_000, 2_000_000],
  [500, 25_000],
];
const BASE_APR = [0.14, 0.055, 0.075, 0.09, 0.22];
const SEGMENT_SPREAD = [0.01, 0.02, -0.01, 0.06];
const TERMS = [
  [12, 24, 36, 60],
  [180, 240, 360],
  [36, 48, 60, 72],
  [12, 24, 36, 60, 120],
  [12, 24, 36],
];
// current, delinquent, default, written_off, repaid
const STATUS_WEIGHTS = [0.65, 0.13, 0.04, 0.03, 0.15];

export const CHUNK_ROWS = 65_536;

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

function pickWeighted(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i];
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** Calls onChunk with successive views of at most CHUNK_ROWS rows; the views are reused. */
export function generatePortfolioChunks(
  rows: number,
  seed: number,
  onChunk: (chunk: LoanColumns, firstRow: number) => void,
): void {
  const rnd = mulberry32(seed);
  const buf = allocColumns(Math.min(CHUNK_ROWS, Math.max(rows, 1)));
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start);
    for (let j = 0; j < n; j++) fillRow(buf, j, start + j + 1, rnd);
    onChunk(sliceColumns(buf, 0, n), start);
  }
}

/** Whole portfolio in memory (tests, bench). */
export function generatePortfolio(rows: number, seed: number): LoanColumns {
  const all = allocColumns(rows);
  generatePortfolioChunks(rows, seed, (chunk, first) => {
    for (const key of Object.keys(chunk) as (keyof LoanColumns)[]) {
      if (key !== 'rows') (all[key] as Float64Array).set(chunk[key] as Float64Array, first);
    }
  });
  return all;
}

function fillRow(c: LoanColumns, j: number, loanId: number, rnd: () => number): void {
  const segment = pickWeighted(SEGMENT_WEIGHTS, rnd());
  const region = Math.floor(rnd() * 5);
  const product = pickWeighted(PRODUCT_WEIGHTS[segment], rnd());
  const [lo, hi] = PRINCIPAL_RANGE[product];
  const u = rnd();
  const principal = round2(lo + (hi - lo) * u * u); // skewed toward small loans
  const apr = round4(Math.max(0.01, BASE_APR[product] + SEGMENT_SPREAD[segment] + (rnd() - 0.5) * 0.04));
  const terms = TERMS[product];
  const termMonths = terms[Math.floor(rnd() * terms.length)];
  const originationDay = FIRST_ORIGINATION_DAY + Math.floor(rnd() * (AS_OF_DAY - 30 - FIRST_ORIGINATION_DAY));
  const status = pickWeighted(STATUS_WEIGHTS, rnd());
  const r1 = rnd();
  const r2 = rnd();

  let outstanding = 0;
  let dpd = 0;
  let due = 0;
  let collected = 0;
  if (status === STATUS_CODE.current || status === STATUS_CODE.delinquent || status === STATUS_CODE.default) {
    outstanding = round2(principal * (0.05 + 0.95 * r1));
    due = round2(principal / termMonths + (outstanding * apr) / 12);
    if (status === STATUS_CODE.current) {
      dpd = r2 < 0.85 ? 0 : 1 + (Math.floor(r2 * 100) % 30);
      collected = r2 < 0.9 ? due : round2(due * r2 * 0.8);
    } else if (status === STATUS_CODE.delinquent) {
      dpd = 31 + Math.floor(r2 * r2 * 150); // 31..180, mostly early buckets
      collected = round2(due * r2 * 0.5);
    } else {
      dpd = 60 + Math.floor(r2 * 660); // some defaults are declared before 90 days
      collected = round2(due * r2 * 0.1);
    }
  }
  c.loanId[j] = loanId;
  c.segment[j] = segment;
  c.region[j] = region;
  c.product[j] = product;
  c.status[j] = status;
  c.principal[j] = principal;
  c.outstanding[j] = outstanding;
  c.apr[j] = apr;
  c.originationDay[j] = originationDay;
  c.termMonths[j] = termMonths;
  c.daysPastDue[j] = dpd;
  c.amountDue[j] = due;
  c.amountCollected[j] = collected;
}
