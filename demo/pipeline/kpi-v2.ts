import { finalizeKpis, SUM_COUNT, sumsFromArray, type KpiResult, type Kpis } from './kpi-types';
import type { LoanColumns } from './loan-columns';
import { GROUP_NAMES, STATUS_CODE, type GroupDimension } from './loan-schema';

/**
 * V2, the columnar engine: one pass over typed arrays into one preallocated Float64Array of sums,
 * nothing allocated per row. How the kernels are written is dictated by what V8 does with them
 * (each rule was measured at 10M rows, see bench/kpi.ts):
 *  - conditions are 0/1 integers from sign-bit arithmetic, multiplied in: ~17 % of loans are past
 *    due in no predictable order and a branch per condition cost 40 % (200 vs 330M rows/s);
 *    `(limit - dpd) >>> 31` is 1 when dpd > limit (dpd within [0, 2^31 - 91]) and
 *    `((code ^ wanted) - 1) >>> 31` is 1 when a byte code equals wanted; written inline, as
 *    through small helpers the optimized code was 2-3x slower on some runs;
 *  - kernels take typed arrays as parameters and write into an output array: property reads or an
 *    object literal around the loop made the on-stack-replaced code deoptimize on every call
 *    ("insufficient type feedback") and run at a third of the speed;
 *  - nothing captures a loop variable in a closure (it would live in a heap context).
 */
const DEFAULT = STATUS_CODE.default;
const WRITTEN_OFF = STATUS_CODE.written_off;

export function computeKpisV2(c: LoanColumns, by?: GroupDimension): KpiResult {
  if (!by) {
    const sums = new Float64Array(SUM_COUNT);
    overallKernel(
      c.rows,
      c.principal,
      c.outstanding,
      c.daysPastDue,
      c.status,
      c.amountDue,
      c.amountCollected,
      c.apr,
      sums,
    );
    return { kpis: finalizeKpis(sumsFromArray(sums)) };
  }
  const names = GROUP_NAMES[by];
  const acc = new Float64Array((names.length + 1) * SUM_COUNT);
  groupedKernel(
    c.rows,
    c[by],
    names.length,
    c.principal,
    c.outstanding,
    c.daysPastDue,
    c.status,
    c.amountDue,
    c.amountCollected,
    c.apr,
    acc,
  );
  const total = new Float64Array(SUM_COUNT);
  const groups: Record<string, Kpis> = {};
  for (let g = 0; g <= names.length; g++) {
    const base = g * SUM_COUNT;
    for (let k = 0; k < SUM_COUNT; k++) total[k] += acc[base + k];
    // The trailing "unknown" slot only appears when some row had an unreadable category.
    if (g < names.length) groups[names[g]] = finalizeKpis(sumsFromArray(acc, base));
    else if (acc[base] > 0) groups.unknown = finalizeKpis(sumsFromArray(acc, base));
  }
  return { kpis: finalizeKpis(sumsFromArray(total)), groups };
}

/** Writes the sums in SUM_FIELDS order into `sums`. */
function overallKernel(
  n: number,
  principal: Float64Array,
  outstanding: Float64Array,
  daysPastDue: Int32Array,
  status: Uint8Array,
  amountDue: Float64Array,
  amountCollected: Float64Array,
  apr: Float64Array,
  sums: Float64Array,
): void {
  let disbursed = 0,
    total = 0,
    par30 = 0,
    par60 = 0,
    par90 = 0,
    defaulted = 0,
    npl = 0;
  let writtenOff = 0,
    due = 0,
    collected = 0,
    aprWeighted = 0;
  for (let i = 0; i < n; i++) {
    const out = outstanding[i];
    const dpd = daysPastDue[i];
    const st = status[i];
    const p = principal[i];
    const isDefault = ((st ^ DEFAULT) - 1) >>> 31;
    const over90 = (90 - dpd) >>> 31;
    disbursed += p;
    total += out;
    par30 += out * ((30 - dpd) >>> 31);
    par60 += out * ((60 - dpd) >>> 31);
    par90 += out * over90;
    defaulted += out * isDefault;
    npl += out * (isDefault | over90);
    writtenOff += p * (((st ^ WRITTEN_OFF) - 1) >>> 31);
    due += amountDue[i];
    collected += amountCollected[i];
    aprWeighted += apr[i] * out;
  }
  sums[0] = n;
  sums[1] = disbursed;
  sums[2] = total;
  sums[3] = par30;
  sums[4] = par60;
  sums[5] = par90;
  sums[6] = defaulted;
  sums[7] = npl;
  sums[8] = writtenOff;
  sums[9] = due;
  sums[10] = collected;
  sums[11] = aprWeighted;
}

/** Sums per group code into acc[code * SUM_COUNT + k]; codes past the vocabulary go to slot `groupCount`. */
function groupedKernel(
  n: number,
  keys: Uint8Array,
  groupCount: number,
  principal: Float64Array,
  outstanding: Float64Array,
  daysPastDue: Int32Array,
  status: Uint8Array,
  amountDue: Float64Array,
  amountCollected: Float64Array,
  apr: Float64Array,
  acc: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    const b = (key < groupCount ? key : groupCount) * 12; // 12 = SUM_COUNT, literal for the JIT
    const out = outstanding[i];
    const dpd = daysPastDue[i];
    const st = status[i];
    const p = principal[i];
    const isDefault = ((st ^ DEFAULT) - 1) >>> 31;
    const over90 = (90 - dpd) >>> 31;
    acc[b] += 1;
    acc[b + 1] += p;
    acc[b + 2] += out;
    acc[b + 3] += out * ((30 - dpd) >>> 31);
    acc[b + 4] += out * ((60 - dpd) >>> 31);
    acc[b + 5] += out * over90;
    acc[b + 6] += out * isDefault;
    acc[b + 7] += out * (isDefault | over90);
    acc[b + 8] += p * (((st ^ WRITTEN_OFF) - 1) >>> 31);
    acc[b + 9] += amountDue[i];
    acc[b + 10] += amountCollected[i];
    acc[b + 11] += apr[i] * out;
  }
}

export interface HeadlineKpis {
  totalOutstanding: number;
  par30: number;
  par90: number;
  defaultRate: number;
}

/**
 * Just the headline figures (outstanding, PAR30, PAR90, default rate): reads 13 bytes a row
 * instead of 45; what a dashboard refresh needs and what the bench's 200M rows/s goal is about.
 */
export function computeHeadlineV2(c: LoanColumns): HeadlineKpis {
  const s = new Float64Array(4);
  headlineKernel(c.rows, c.outstanding, c.daysPastDue, c.status, s);
  const ratio = (num: number): number => (s[0] > 0 ? num / s[0] : 0);
  return { totalOutstanding: s[0], par30: ratio(s[1]), par90: ratio(s[2]), defaultRate: ratio(s[3]) };
}

function headlineKernel(
  n: number,
  outstanding: Float64Array,
  daysPastDue: Int32Array,
  status: Uint8Array,
  s: Float64Array,
): void {
  let total = 0,
    par30 = 0,
    par90 = 0,
    defaulted = 0;
  for (let i = 0; i < n; i++) {
    const out = outstanding[i];
    const dpd = daysPastDue[i];
    total += out;
    par30 += out * ((30 - dpd) >>> 31);
    par90 += out * ((90 - dpd) >>> 31);
    defaulted += out * (((status[i] ^ DEFAULT) - 1) >>> 31);
  }
  s[0] = total;
  s[1] = par30;
  s[2] = par90;
  s[3] = defaulted;
}
