/**
 * A baseline: V1's answers to the plan's compare checks, recorded so V2 can be compared with
 * them once V1 is stopped. One format everywhere: the workflows carry its `values` (Phase 5,
 * checkpoints, rollbacks), the shadow run and `cutover baseline capture` write the whole record
 * into the plan's baseline store, and scheduled validations read it from there. Pure.
 */
import type { FlatValues } from './value-compare';

export const BASELINE_FORMAT = 'cutover-baseline/1';

/** `<check name>:<field path>` → number, e.g. `kpi_parity:kpis.par30`. */
export type BaselineValues = FlatValues;

export interface BaselineRecord {
  format: typeof BASELINE_FORMAT;
  /** the plan's name: a baseline of another plan is refused */
  plan: string;
  recordedAt: string;
  /** "shadow run of cutover-loans-demo-…", "cutover baseline capture" */
  source: string;
  target: 'v1' | 'v2';
  values: BaselineValues;
}

export function isBaselineRecord(raw: unknown): raw is { format: unknown } {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    'format' in raw &&
    String((raw as { format: unknown }).format).startsWith('cutover-baseline')
  );
}

/** One check's recorded fields, `<path>` → number; undefined when the baseline has none for it. */
export function valuesOf(check: string, baseline?: BaselineValues): FlatValues | undefined {
  if (!baseline) return undefined;
  const prefix = `${check}:`;
  const own = Object.entries(baseline).filter(([k]) => k.startsWith(prefix));
  return own.length ? Object.fromEntries(own.map(([k, v]) => [k.slice(prefix.length), v])) : undefined;
}

/** The checks a baseline has values for, with how many fields each. */
export function coveredChecks(baseline: BaselineValues): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of Object.keys(baseline)) {
    const check = key.slice(0, key.indexOf(':'));
    if (check) counts[check] = (counts[check] ?? 0) + 1;
  }
  return counts;
}

/** Per check, the first source that has values for it wins (a fresher one is given first). */
export function mergeBaselines(...sources: Array<BaselineValues | undefined>): BaselineValues | undefined {
  const merged: BaselineValues = {};
  const taken = new Set<string>();
  for (const source of sources) {
    if (!source) continue;
    const checks = Object.keys(coveredChecks(source)).filter((c) => !taken.has(c));
    for (const check of checks) {
      for (const [path, value] of Object.entries(valuesOf(check, source)!)) merged[`${check}:${path}`] = value;
      taken.add(check);
    }
  }
  return taken.size ? merged : undefined;
}

/** "kpi_parity (40 fields), warehouse_parity (150 fields)" */
export function describeCoverage(baseline: BaselineValues): string {
  return (
    Object.entries(coveredChecks(baseline))
      .map(([check, n]) => `${check} (${n} fields)`)
      .join(', ') || 'no check'
  );
}
