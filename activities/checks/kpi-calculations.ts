/**
 * kpi_calculations: the target's /kpis against a baseline, within thresholds.kpiTolerance.
 * The baseline is V1's KPIs from the cutover's shadow run when there is one; otherwise a stored
 * baseline file from the plan (validation.baselineFile), so scheduled runs during monitoring
 * still compare against what V1 computed before the switch.
 */
import { insideWorkdir } from '../plan-paths';
import { readFile } from 'node:fs/promises';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { compareKpis, describeComparison, type Kpis } from '../../domain/kpi-compare';
import { getJsonObject, guarded, serviceUrl, type Check } from './check-util';

/** Numeric fields only: the /kpis answer also carries `version` and `rows`. */
function numericKpis(value: unknown): Kpis | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const kpis = Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number')) as Kpis;
  return Object.keys(kpis).length ? kpis : undefined;
}

/** A saved /kpis answer (`{kpis: {...}}`) or a flat `{kpi: number}` map. */
export function parseBaseline(raw: unknown, source: string): Kpis {
  const inner = typeof raw === 'object' && raw !== null && 'kpis' in raw ? (raw as { kpis: unknown }).kpis : raw;
  const kpis = numericKpis(inner);
  if (!kpis) throw new Error(`baseline ${source} has no numeric KPIs: expected a saved /kpis answer or {"kpiName": number, ...}`);
  return kpis;
}

export async function readBaselineFile(file: string): Promise<Kpis> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`baseline ${file} is not valid JSON`);
  }
  return parseBaseline(raw, file);
}

/** ctx.baseline wins (it is fresher: computed by V1 minutes before the switch). */
async function resolveBaseline(loaded: LoadedPlan, baseline?: Kpis): Promise<{ kpis: Kpis; source: string } | undefined> {
  if (baseline && Object.keys(baseline).length) return { kpis: baseline, source: 'shadow run' };
  const file = loaded.plan.validation.baselineFile;
  if (!file) return undefined;
  const absolute = insideWorkdir(loaded, file, 'validation.baselineFile');
  return { kpis: await readBaselineFile(absolute), source: absolute };
}

export const checkKpiCalculations: Check = guarded(async (loaded, role, ctx) => {
  const body = await getJsonObject(serviceUrl(loaded, role, '/kpis'));
  const candidate = numericKpis(body.kpis);
  if (!candidate) return { status: 'FAIL', metrics: {}, message: '/kpis has no "kpis" object with numbers: is this the right service?' };
  const baseline = await resolveBaseline(loaded, ctx.baseline);
  if (!baseline) {
    return { status: 'WARN', metrics: { kpis: candidate }, message: 'no baseline: KPIs not compared (give one from a shadow run or validation.baselineFile)' };
  }
  const comparison = compareKpis(baseline.kpis, candidate, loaded.plan.thresholds.kpiTolerance);
  const deviations = Object.fromEntries(
    comparison.deviations.map((d) => [d.kpi, { baseline: d.baseline, candidate: d.candidate, relative: d.relative, ok: d.ok }]),
  );
  return {
    status: comparison.ok ? 'PASS' : 'FAIL',
    metrics: {
      baselineSource: baseline.source,
      tolerance: comparison.tolerance,
      maxRelative: comparison.maxRelative,
      compared: comparison.deviations.length,
      missing: comparison.missing,
      deviations,
    },
    message: describeComparison(comparison),
  };
});
