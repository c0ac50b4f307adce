/**
 * KPI definitions shared by V1 and V2. Both engines only produce the raw sums below; every ratio
 * is derived here, once, so the two versions cannot disagree on a formula.
 *
 * With out = outstanding balance, dpd = days past due, over the loans in scope:
 *   loanCount        number of loans (rows)
 *   disbursedVolume  Σ principal (every loan, whatever its status)
 *   totalOutstanding Σ out (repaid and written-off loans carry 0 outstanding)
 *   par30/60/90      Σ out where dpd > 30/60/90, ÷ totalOutstanding
 *   defaultRate      Σ out where status = default, ÷ totalOutstanding
 *   nplRatio         Σ out where dpd > 90 or status = default, ÷ totalOutstanding
 *   writeOffRate     Σ principal where status = written_off, ÷ disbursedVolume
 *   collectionRate   Σ amount collected ÷ Σ amount due for the period
 *   weightedAvgApr   Σ (apr × out) ÷ totalOutstanding (apr is a fraction: 0.125 = 12.5 %)
 * Every ratio is 0 when its denominator is 0 (empty portfolio, or a group with nothing
 * outstanding), so a KPI is never NaN or Infinity. Missing (null) numbers count as 0.
 */
export const KPI_NAMES = [
  'totalOutstanding',
  'par30',
  'par60',
  'par90',
  'defaultRate',
  'nplRatio',
  'writeOffRate',
  'collectionRate',
  'weightedAvgApr',
  'disbursedVolume',
  'loanCount',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];
export type Kpis = Record<KpiName, number>;

export interface KpiResult {
  kpis: Kpis;
  /** Present when a breakdown was asked for: every known category, plus "unknown" if any row had none. */
  groups?: Record<string, Kpis>;
}

/** Order of the raw sums; V2 keeps them in a flat Float64Array in this order. */
export const SUM_FIELDS = [
  'loanCount',
  'disbursed',
  'outstanding',
  'par30',
  'par60',
  'par90',
  'defaulted',
  'npl',
  'writtenOff',
  'due',
  'collected',
  'aprWeighted',
] as const;
export type KpiSums = Record<(typeof SUM_FIELDS)[number], number>;
export const SUM_COUNT = SUM_FIELDS.length;

export function emptySums(): KpiSums {
  return {
    loanCount: 0,
    disbursed: 0,
    outstanding: 0,
    par30: 0,
    par60: 0,
    par90: 0,
    defaulted: 0,
    npl: 0,
    writtenOff: 0,
    due: 0,
    collected: 0,
    aprWeighted: 0,
  };
}

export function sumsFromArray(a: Float64Array, base = 0): KpiSums {
  const s = emptySums();
  SUM_FIELDS.forEach((f, k) => (s[f] = a[base + k]));
  return s;
}

const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);

export function finalizeKpis(s: KpiSums): Kpis {
  return {
    totalOutstanding: s.outstanding,
    par30: ratio(s.par30, s.outstanding),
    par60: ratio(s.par60, s.outstanding),
    par90: ratio(s.par90, s.outstanding),
    defaultRate: ratio(s.defaulted, s.outstanding),
    nplRatio: ratio(s.npl, s.outstanding),
    writeOffRate: ratio(s.writtenOff, s.disbursed),
    collectionRate: ratio(s.collected, s.due),
    weightedAvgApr: ratio(s.aprWeighted, s.outstanding),
    disbursedVolume: s.disbursed,
    loanCount: s.loanCount,
  };
}

/** Relative difference, 0 when both are 0; what "agree within 0.01 %" is measured with. */
export function relativeDiff(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** The KPI names on which two results differ by more than `tolerance` (relative). */
export function kpiDifferences(a: Kpis, b: Kpis, tolerance: number): KpiName[] {
  return KPI_NAMES.filter((k) => !(relativeDiff(a[k], b[k]) <= tolerance));
}
