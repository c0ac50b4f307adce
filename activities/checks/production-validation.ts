/**
 * A production validation: the plan's checks for one moment against one service (the default
 * list when the plan has no `checks:`), as the seed's report. Used by Phase 5, the monitoring
 * loop, Schedules and `cutover validate`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import type { ValidationReport } from '../../domain/validation-report';
import type { CheckMoment } from '../../domain/check-schema';
import type { CheckOutcome } from '../../domain/check-outcome';
import type { BaselineValues } from '../../domain/baseline';
import { reportFromOutcomes, runChecksAt } from './run-checks';
import { planBaseline } from './baseline-store';

export interface ValidationContext {
  /**
   * V1's values handed over (the shadow run's, or a --baseline file); without them the plan's baselineFile and store
   */
  baseline?: BaselineValues;
  moment?: CheckMoment;
  /** outcomes of command checks already run on their hosts */
  hosted?: CheckOutcome[];
}

/** Never throws for a failed check; logging is the caller's (the CLI prints, activities log). */
export async function runProductionValidation(
  loaded: LoadedPlan,
  role: ServiceRole,
  ctx: ValidationContext = {},
): Promise<ValidationReport> {
  const timestamp = new Date().toISOString();
  const started = performance.now();
  const baseline = ctx.baseline && Object.keys(ctx.baseline).length ? ctx.baseline : await planBaseline(loaded);
  const outcomes = await runChecksAt(loaded, role, ctx.moment ?? 'phase5', { baseline, hosted: ctx.hosted });
  return reportFromOutcomes(loaded, role, outcomes, timestamp, Math.round(performance.now() - started));
}

/** Pretty JSON (people read it too), folders created; relative paths are the caller's to resolve. */
export async function writeReport(report: ValidationReport, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
}
