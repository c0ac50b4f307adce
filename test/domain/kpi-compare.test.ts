import { compareKpis, describeComparison, relativeDiff } from '../../domain/kpi-compare';

describe('KPI comparison', () => {
  test('a drift reads relative to the baseline: 5% up is 5%', () => {
    expect(relativeDiff(0.2, 0.21)).toBeCloseTo(0.05, 12);
  });
  test('equal zeros agree, and any change from an exact zero is a full deviation', () => {
    expect(relativeDiff(0, 0)).toBe(0);
    expect(relativeDiff(0, 1e-9)).toBe(1);
  });
  test('a missing KPI fails the comparison and is named', () => {
    const c = compareKpis({ par30: 0.1, defaultRate: 0.02 }, { par30: 0.1 }, 0.001);
    expect(c.ok).toBe(false);
    expect(describeComparison(c)).toBe('defaultRate missing (tolerance 0.100%)');
  });
  test('each KPI beyond the tolerance is named with its deviation', () => {
    const c = compareKpis({ par30: 0.1, defaultRate: 0.02 }, { par30: 0.1, defaultRate: 0.0204 }, 0.001);
    expect(describeComparison(c)).toBe('defaultRate off by 2.000% (tolerance 0.100%)');
  });
});
