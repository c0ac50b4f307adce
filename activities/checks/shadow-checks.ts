/**
 * The shadow run and the rollback's KPI check for plans with `checks:`. Phase 2: every `shadow`
 * check runs against V2 with V1 live beside it; a FAIL aborts (nothing has changed yet) and V1's
 * values are recorded for Phase 5 and the 24 hours after. Rollback: the restored V1 against
 * those values, through the same compare checks.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/plan-schema';
import { describeOutcome, overallOf } from '../../domain/check-outcome';
import type { FlatValues } from '../../domain/value-compare';
import { FailureType } from '../failure-types';
import { baselineFromShadow, runChecksAt } from './run-checks';
import type { CheckOutcome } from '../../domain/check-outcome';

export interface DataShadowResult {
  baseline: FlatValues;
  summary: string;
  outcomes: Array<Pick<CheckOutcome, 'name' | 'status' | 'message'>>;
}

const brief = (outcomes: CheckOutcome[]) => outcomes.map(({ name, status, message }) => ({ name, status, message }));

export async function shadowChecks(loaded: LoadedPlan, hosted?: CheckOutcome[]): Promise<DataShadowResult> {
  const outcomes = await runChecksAt(loaded, 'v2', 'shadow', { v1Live: true, hosted });
  if (!outcomes.length) return { baseline: {}, summary: 'no shadow checks in the plan', outcomes: [] };
  const status = overallOf(outcomes);
  const summary = `${status}: ${outcomes.map((o) => `${o.name} ${o.status} (${o.message})`).join(', ')}`;
  if (status === 'FAIL') {
    const failing = outcomes.filter((o) => o.status === 'FAIL').map(describeOutcome).join('; ');
    throw ApplicationFailure.nonRetryable(`V2 shadow run differs from V1: ${failing}`, FailureType.KpiMismatch, brief(outcomes));
  }
  return { baseline: baselineFromShadow(outcomes), summary, outcomes: brief(outcomes) };
}

/** After a rollback: V1 restored must give what it gave before (only checks in compare mode, at phase5). */
export async function compareChecksWithBaseline(loaded: LoadedPlan, role: ServiceRole, baseline: FlatValues): Promise<{ summary: string }> {
  const compared = (loaded.plan.checks ?? []).filter((c) => c.compare && c.at.includes('shadow'));
  const outcomes: CheckOutcome[] = [];
  for (const check of compared) outcomes.push(...(await runChecksAt(loaded, role, 'phase5', { baseline, only: check.name })));
  const failing = outcomes.filter((o) => o.status === 'FAIL');
  const summary = outcomes.length ? outcomes.map((o) => `${o.name} ${o.status} (${o.message})`).join(', ') : 'no compare checks in the plan';
  if (failing.length) throw ApplicationFailure.nonRetryable(`${role} differs from the pre-cutover baseline: ${failing.map(describeOutcome).join('; ')}`, FailureType.KpiMismatch, brief(outcomes));
  return { summary };
}
