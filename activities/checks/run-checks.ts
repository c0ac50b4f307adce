/**
 * A plan's data checks at one moment (Phase 5, a checkpoint, a schedule, the shadow run, a
 * sentinel probe), one after another — a latency check must not time the others' traffic — and
 * the seed's report built from their outcomes.
 */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import type { CheckMoment, CheckSpec } from '../../domain/check-schema';
import { overallOf, reportChecks, type CheckOutcome } from '../../domain/check-outcome';
import type { ValidationReport } from '../../domain/validation-report';
import type { FlatValues } from '../../domain/value-compare';
import { flattenNumbers } from '../../domain/value-compare';
import { PROVIDERS } from './providers';
import { runCheck, type CheckRunContext, type ProviderRegistry } from './run-check';

export interface RunChecksOptions {
  baseline?: FlatValues;
  v1Live?: boolean;
  providers?: ProviderRegistry;
  env?: NodeJS.ProcessEnv;
  /** only this check (cutover check PLAN NAME) */
  only?: string;
  /** outcomes of checks a host agent already ran (command checks on their host): used in their place, in plan order */
  hosted?: CheckOutcome[];
}

export function checksAt(loaded: LoadedPlan, moment: CheckMoment): CheckSpec[] {
  return (loaded.plan.checks ?? []).filter((c) => c.at.includes(moment));
}

export async function runChecksAt(
  loaded: LoadedPlan,
  role: ServiceRole,
  moment: CheckMoment,
  opts: RunChecksOptions = {},
): Promise<CheckOutcome[]> {
  const run: CheckRunContext = {
    moment,
    baseline: opts.baseline,
    v1Live: opts.v1Live,
    providers: opts.providers ?? PROVIDERS,
    env: opts.env,
  };
  const checks = opts.only ? (loaded.plan.checks ?? []).filter((c) => c.name === opts.only) : checksAt(loaded, moment);
  const outcomes: CheckOutcome[] = [];
  for (const check of checks)
    outcomes.push(opts.hosted?.find((o) => o.name === check.name) ?? (await runCheck(loaded, check, role, run)));
  return outcomes;
}

export function reportFromOutcomes(
  loaded: LoadedPlan,
  role: ServiceRole,
  outcomes: CheckOutcome[],
  timestamp: string,
  durationMs: number,
): ValidationReport {
  const spec = loaded.plan.services[role];
  return {
    status: overallOf(outcomes),
    timestamp,
    target: { role, name: spec.name, baseUrl: spec.baseUrl },
    durationMs,
    checks: reportChecks(outcomes),
    outcomes: outcomes.map(reportedOutcome),
  };
}

/** What a report and a sentinel reading keep of a check's outcome (the evidence stays in its message). */
export const reportedOutcome = ({
  name,
  report,
  status,
  message,
  rule,
  inconclusive,
  onFail,
  trendValue,
}: CheckOutcome) => ({ name, report, status, message, rule, inconclusive, onFail, trendValue });

/** V1's values as the shadow run saw them, `<check>:<path>` → number, for later compares (V1 is stopped by then). */
export function baselineFromShadow(outcomes: CheckOutcome[]): FlatValues {
  const baseline: FlatValues = {};
  for (const o of outcomes) {
    const reference = (o.metrics.comparison as { referenceValues?: unknown } | undefined)?.referenceValues;
    for (const [path, value] of Object.entries(flattenNumbers(reference ?? {}))) baseline[`${o.name}:${path}`] = value;
  }
  return baseline;
}
