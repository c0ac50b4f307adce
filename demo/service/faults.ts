import { z } from 'zod';
import { KPI_NAMES, type KpiResult, type Kpis } from '../pipeline/kpi-types';
import { GROUP_NAMES } from '../pipeline/loan-schema';

/**
 * Fault injection, off unless asked for. Set at start from DEMO_FAULTS (JSON) and/or one env var
 * per fault (which win over DEMO_FAULTS), and at run time through /admin/faults. See README.
 */
const fields = {
  kpiDrift: z.object({ kpi: z.enum([...KPI_NAMES, 'all']).default('all'), relative: z.number().min(-1).max(100) }),
  /** one breakdown group only (any dimension's group name): the totals stay true, as when loans are misclassified */
  groupDrift: z.object({
    group: z.enum(Object.values(GROUP_NAMES).flat() as [string, ...string[]]),
    kpi: z.enum([...KPI_NAMES, 'all']).default('all'),
    relative: z.number().min(-1).max(100),
  }),
  errorRate: z.number().min(0).max(1),
  latencyMs: z.number().min(0).max(600_000),
  failOnStart: z.union([z.boolean(), z.object({ exitCode: z.number().int().min(1).max(255) })]),
  hangOnStop: z.boolean(),
  lostRows: z.number().min(0).max(1),
  duplicatedRows: z.number().min(0).max(1),
  auditGap: z.number().int().min(0).max(1_000_000),
  memoryLeakMbPerSec: z.number().min(0).max(1024),
};
export const FaultsSchema = z
  .object({
    kpiDrift: fields.kpiDrift.optional(),
    groupDrift: fields.groupDrift.optional(),
    errorRate: fields.errorRate.optional(),
    latencyMs: fields.latencyMs.optional(),
    failOnStart: fields.failOnStart.optional(),
    hangOnStop: fields.hangOnStop.optional(),
    lostRows: fields.lostRows.optional(),
    duplicatedRows: fields.duplicatedRows.optional(),
    auditGap: fields.auditGap.optional(),
    memoryLeakMbPerSec: fields.memoryLeakMbPerSec.optional(),
  })
  .strict();
export type Faults = z.infer<typeof FaultsSchema>;
/** Admin patches: a field set to null removes that fault. */
export const FaultsPatchSchema = FaultsSchema.partial()
  .extend(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.nullable().optional()])) as {
      [K in keyof typeof fields]: z.ZodOptional<z.ZodNullable<(typeof fields)[K]>>;
    },
  )
  .strict();
export type FaultsPatch = z.infer<typeof FaultsPatchSchema>;

const ENV_VARS: Record<string, (v: string) => Partial<Record<keyof Faults, unknown>>> = {
  DEMO_FAULT_KPI_DRIFT: (v) => {
    const [kpi, rel] = v.includes(':') ? v.split(':') : ['all', v];
    return { kpiDrift: { kpi, relative: Number(rel) } };
  },
  DEMO_FAULT_GROUP_DRIFT: (v) => {
    const parts = v.split(':'); // group:kpi:relative or group:relative
    return {
      groupDrift:
        parts.length === 3
          ? { group: parts[0], kpi: parts[1], relative: Number(parts[2]) }
          : { group: parts[0], relative: Number(parts[1]) },
    };
  },
  DEMO_FAULT_ERROR_RATE: (v) => ({ errorRate: Number(v) }),
  DEMO_FAULT_LATENCY_MS: (v) => ({ latencyMs: Number(v) }),
  DEMO_FAULT_FAIL_ON_START: (v) => ({
    failOnStart: /^\d+$/.test(v) && Number(v) > 1 ? { exitCode: Number(v) } : truthy(v),
  }),
  DEMO_FAULT_HANG_ON_STOP: (v) => ({ hangOnStop: truthy(v) }),
  DEMO_FAULT_LOST_ROWS: (v) => ({ lostRows: Number(v) }),
  DEMO_FAULT_DUPLICATED_ROWS: (v) => ({ duplicatedRows: Number(v) }),
  DEMO_FAULT_AUDIT_GAP: (v) => ({ auditGap: Number(v) }),
  DEMO_FAULT_MEMORY_LEAK_MB_PER_SEC: (v) => ({ memoryLeakMbPerSec: Number(v) }),
};
function truthy(v: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

/** Throws a readable Error when the environment describes an invalid fault. */
export function faultsFromEnv(env: NodeJS.ProcessEnv): Faults {
  let raw: Record<string, unknown> = {};
  if (env.DEMO_FAULTS?.trim()) {
    try {
      raw = JSON.parse(env.DEMO_FAULTS) as Record<string, unknown>;
    } catch {
      throw new Error('DEMO_FAULTS is not valid JSON');
    }
  }
  for (const [name, toFault] of Object.entries(ENV_VARS)) {
    const v = env[name];
    if (v !== undefined && v !== '') raw = { ...raw, ...toFault(v) };
  }
  const parsed = FaultsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid faults: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function applyPatch(current: Faults, patch: FaultsPatch): Faults {
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return FaultsSchema.parse(next);
}

type Drift = { kpi: string; relative: number } | undefined;
/**
 * Multiplies the drifted KPI(s) by (1 + relative): kpiDrift in the totals and every group, groupDrift in its group
 * only.
 */
export function driftResult(result: KpiResult, faults: Pick<Faults, 'kpiDrift' | 'groupDrift'>): KpiResult {
  const { kpiDrift, groupDrift } = faults;
  const apply = (k: Kpis, drift: Drift): Kpis => {
    if (!drift || drift.relative === 0) return k;
    const out = { ...k };
    for (const name of KPI_NAMES)
      if (drift.kpi === 'all' || drift.kpi === name) out[name] = k[name] * (1 + drift.relative);
    return out;
  };
  const groups =
    result.groups &&
    Object.fromEntries(
      Object.entries(result.groups).map(([g, k]) => [
        g,
        apply(apply(k, kpiDrift), g === groupDrift?.group ? groupDrift : undefined),
      ]),
    );
  return { kpis: apply(result.kpis, kpiDrift), ...(groups ? { groups } : {}) };
}
