/**
 * The five production checks against one service, as one report. Runs them one after another:
 * the performance check times requests, and the others' traffic would skew it if they ran at
 * once. Used by Phase 5, the monitoring loop, Schedules and `cutover validate`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/plan-schema';
import { CHECK_NAMES, overallStatus, type CheckName, type CheckResult, type ValidationReport } from '../../domain/validation-report';
import { heartbeat } from '../heartbeat';
import type { Check, CheckContext } from './check-util';
import { checkKpiCalculations } from './kpi-calculations';
import { checkDataIntegrity } from './data-integrity';
import { checkPerformance } from './performance';
import { checkErrorHandling } from './error-handling';
import { checkAuditTrail } from './audit-trail';

import type { CheckMoment } from '../../domain/check-schema';
import type { CheckOutcome } from '../../domain/check-outcome';
import { reportFromOutcomes, runChecksAt } from './run-checks';
import { planBaseline } from './plan-baseline';

export type { CheckContext } from './check-util';

export const CHECKS: Record<CheckName, Check> = {
  kpi_calculations: checkKpiCalculations,
  data_integrity: checkDataIntegrity,
  performance: checkPerformance,
  error_handling: checkErrorHandling,
  audit_trail: checkAuditTrail,
};

/**
 * Never throws for a failed check; logging is the caller's (the CLI prints, activities log).
 * A plan with `checks:` runs its own data checks for the moment; one without runs the five
 * built-in checks of the demo's HTTP contract.
 */
export async function runProductionValidation(loaded: LoadedPlan, role: ServiceRole, ctx: CheckContext & { moment?: CheckMoment; hosted?: CheckOutcome[] } = {}): Promise<ValidationReport> {
  const spec = loaded.plan.services[role];
  const timestamp = new Date().toISOString();
  const started = performance.now();
  if (loaded.plan.checks) {
    const outcomes = await runChecksAt(loaded, role, ctx.moment ?? 'phase5', { baseline: ctx.baseline ?? (await planBaseline(loaded)), hosted: ctx.hosted });
    return reportFromOutcomes(loaded, role, outcomes, timestamp, Math.round(performance.now() - started));
  }
  const checks = {} as Record<CheckName, CheckResult>;
  for (const name of CHECK_NAMES) {
    heartbeat({ check: name });
    checks[name] = await CHECKS[name](loaded, role, ctx);
  }
  return {
    status: overallStatus(checks),
    timestamp,
    target: { role, name: spec.name, baseUrl: spec.baseUrl },
    durationMs: Math.round(performance.now() - started),
    checks,
  };
}

/** Pretty JSON (people read it too), folders created; relative paths are the caller's to resolve. */
export async function writeReport(report: ValidationReport, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
}
