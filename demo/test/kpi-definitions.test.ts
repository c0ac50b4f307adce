import { computeKpisV1 } from '../pipeline/kpi-v1';
import { computeHeadlineV2, computeKpisV2 } from '../pipeline/kpi-v2';
import { KPI_NAMES, type KpiResult, type Kpis } from '../pipeline/kpi-types';
import { SEGMENTS } from '../pipeline/loan-schema';
import { loan, toColumns } from './kpi-fixtures';

// Four loans whose KPIs are easy to compute by hand (see kpi-types.ts for the definitions).
const rows = [
  loan({
    loanId: 1,
    principal: 1000,
    outstanding: 600,
    apr: 0.1,
    daysPastDue: 0,
    status: 'current',
    amountDue: 100,
    amountCollected: 100,
  }),
  loan({
    loanId: 2,
    principal: 2000,
    outstanding: 200,
    apr: 0.2,
    daysPastDue: 45,
    status: 'delinquent',
    amountDue: 50,
    amountCollected: 10,
    segment: 'sme',
  }),
  loan({
    loanId: 3,
    principal: 3000,
    outstanding: 200,
    apr: 0.3,
    daysPastDue: 75,
    status: 'default',
    amountDue: 50,
    amountCollected: 0,
    segment: 'sme',
  }),
  loan({
    loanId: 4,
    principal: 4000,
    outstanding: 0,
    apr: 0.4,
    daysPastDue: 0,
    status: 'written_off',
    amountDue: 0,
    amountCollected: 0,
    segment: 'corporate',
  }),
];
const expected: Kpis = {
  totalOutstanding: 1000,
  par30: 0.4, // (200 + 200) / 1000
  par60: 0.2, // 200 / 1000
  par90: 0,
  defaultRate: 0.2, // loan 3
  nplRatio: 0.2, // default counts as non-performing even below 90 days
  writeOffRate: 0.4, // 4000 / 10000 disbursed
  collectionRate: 0.55, // 110 / 200
  weightedAvgApr: 0.16, // (0.1*600 + 0.2*200 + 0.3*200) / 1000
  disbursedVolume: 10000,
  loanCount: 4,
};

const engines: [string, (by?: 'segment' | 'region' | 'product') => KpiResult][] = [
  ['V1', (by) => computeKpisV1(rows, by)],
  ['V2', (by) => computeKpisV2(toColumns(rows), by)],
];

describe.each(engines)('KPI definitions in %s', (_name, compute) => {
  it('computes every KPI as documented on a hand-checked portfolio', () => {
    const { kpis } = compute();
    for (const k of KPI_NAMES) expect(kpis[k]).toBeCloseTo(expected[k], 12);
  });

  it('reports every known segment, with zeros and no NaN for a segment with nothing outstanding', () => {
    const { groups } = compute('segment');
    expect(Object.keys(groups ?? {}).sort()).toEqual([...SEGMENTS].sort());
    expect(groups?.corporate).toMatchObject({
      totalOutstanding: 0,
      par30: 0,
      defaultRate: 0,
      weightedAvgApr: 0,
      writeOffRate: 1,
      loanCount: 1,
    });
    expect(groups?.microfinance).toEqual(Object.fromEntries(KPI_NAMES.map((k) => [k, 0])));
    expect(groups?.sme.par30).toBeCloseTo(1, 12);
  });

  it('never returns NaN or Infinity for any KPI', () => {
    for (const by of [undefined, 'segment', 'region', 'product'] as const) {
      const r = compute(by);
      for (const kpis of [r.kpis, ...Object.values(r.groups ?? {})]) {
        for (const k of KPI_NAMES) expect(Number.isFinite(kpis[k])).toBe(true);
      }
    }
  });
});

describe('KPI edge cases', () => {
  it('gives 0 for every KPI of an empty portfolio in both versions', () => {
    const zero = Object.fromEntries(KPI_NAMES.map((k) => [k, 0]));
    expect(computeKpisV1([]).kpis).toEqual(zero);
    expect(computeKpisV2(toColumns([])).kpis).toEqual(zero);
  });

  it('treats a single repaid loan as volume disbursed with nothing outstanding', () => {
    const one = [loan({ status: 'repaid', outstanding: 0, principal: 500, amountDue: 0, amountCollected: 0 })];
    for (const r of [computeKpisV1(one), computeKpisV2(toColumns(one))]) {
      expect(r.kpis).toMatchObject({
        loanCount: 1,
        disbursedVolume: 500,
        totalOutstanding: 0,
        par30: 0,
        collectionRate: 0,
      });
    }
  });

  it('puts loans with an unreadable category in an "unknown" group in both versions', () => {
    const odd = [loan({ region: null }), loan({ loanId: 2, region: 'south' })];
    expect(computeKpisV1(odd, 'region').groups?.unknown.loanCount).toBe(1);
    expect(computeKpisV2(toColumns(odd), 'region').groups?.unknown.loanCount).toBe(1);
  });

  it('counts a missing number as 0 in V1', () => {
    const r = computeKpisV1([loan({ outstanding: null, principal: null })]);
    expect(r.kpis).toMatchObject({ totalOutstanding: 0, disbursedVolume: 0, loanCount: 1 });
  });

  it('gives the headline figures equal to the full V2 engine', () => {
    const c = toColumns(rows);
    const full = computeKpisV2(c).kpis;
    expect(computeHeadlineV2(c)).toEqual({
      totalOutstanding: full.totalOutstanding,
      par30: full.par30,
      par90: full.par90,
      defaultRate: full.defaultRate,
    });
  });

  it('counts days past due strictly above each PAR threshold', () => {
    const edge = [30, 31, 60, 61, 90, 91].map((d, i) => loan({ loanId: i + 1, daysPastDue: d, outstanding: 100 }));
    for (const r of [computeKpisV1(edge), computeKpisV2(toColumns(edge))]) {
      expect(r.kpis.par30).toBeCloseTo(5 / 6, 12);
      expect(r.kpis.par60).toBeCloseTo(3 / 6, 12);
      expect(r.kpis.par90).toBeCloseTo(1 / 6, 12);
    }
  });
});
