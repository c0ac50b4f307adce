/** KPI parity: every numeric KPI of a candidate against a baseline, within a relative tolerance. Pure. */
export type Kpis = Record<string, number>;

export interface KpiDeviation {
  kpi: string;
  baseline: number;
  candidate: number;
  relative: number;
  ok: boolean;
}

export interface KpiComparison {
  ok: boolean;
  tolerance: number;
  maxRelative: number;
  deviations: KpiDeviation[];
  missing: string[];
}

/** Deviation relative to the baseline (a 5% drift reads 5%); any change from an exact 0 counts as 100%. */
export function relativeDiff(baseline: number, candidate: number): number {
  if (baseline === candidate) return 0;
  if (baseline === 0) return 1;
  return Math.abs(candidate - baseline) / Math.abs(baseline);
}

export function compareKpis(baseline: Kpis, candidate: Kpis, tolerance: number): KpiComparison {
  const missing = Object.keys(baseline).filter((k) => typeof candidate[k] !== 'number');
  const deviations = Object.keys(baseline)
    .filter((k) => typeof candidate[k] === 'number')
    .map((kpi) => {
      const relative = relativeDiff(baseline[kpi], candidate[kpi]);
      return { kpi, baseline: baseline[kpi], candidate: candidate[kpi], relative, ok: relative <= tolerance };
    });
  const maxRelative = deviations.reduce((m, d) => Math.max(m, d.relative), 0);
  return { ok: missing.length === 0 && deviations.every((d) => d.ok), tolerance, maxRelative, deviations, missing };
}

export function describeComparison(c: KpiComparison): string {
  if (c.ok) return `all ${c.deviations.length} KPIs within ${(c.tolerance * 100).toFixed(3)}% (max ${(c.maxRelative * 100).toFixed(4)}%)`;
  const bad = c.deviations.filter((d) => !d.ok).map((d) => `${d.kpi} off by ${(d.relative * 100).toFixed(3)}%`);
  return [...bad, ...c.missing.map((k) => `${k} missing`)].join(', ') + ` (tolerance ${(c.tolerance * 100).toFixed(3)}%)`;
}
