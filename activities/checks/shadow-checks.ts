/**
 * The shadow run and the rollback's check against V1's recorded values. Phase 2: every `shadow`
 * check runs against V2 with V1 live beside it; a FAIL aborts (nothing has changed yet) and V1's
 * answers become the baseline: handed to Phase 5, the monitoring and a rollback, and recorded in
 * the plan's baseline store for scheduled validations. Rollback: the restored V1 against those
 * values, through the same compare checks.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import { describeOutcome, overallOf, type CheckOutcome } from '../../domain/check-outcome';
import type { BaselineValues } from '../../domain/baseline';
import { FailureType } from '../failure-types';
import { log } from '../activity-log';
import { baselineFromShadow, runChecksAt } from './run-checks';
import { recordBaseline } from './baseline-store';
import { runningWorkflowId } from '../../infra/activity-context';

export interface ShadowResult {
  baseline: BaselineValues;
  summary: string;
  outcomes: Array<Pick<CheckOutcome, 'name' | 'status' | 'message'>>;
  /** where V1's answers were recorded (the plan's baseline store) */
  recordedIn?: string;
}

const brief = (outcomes: CheckOutcome[]) => outcomes.map(({ name, status, message }) => ({ name, status, message }));

/** `hosted`: command checks already run on their hosts. */
export async function shadowChecks(loaded: LoadedPlan, hosted?: CheckOutcome[]): Promise<ShadowResult> {
  const outcomes = await runChecksAt(loaded, 'v2', 'shadow', { v1Live: true, hosted });
  if (!outcomes.length) return { baseline: {}, summary: 'no shadow checks in the plan', outcomes: [] };
  const status = overallOf(outcomes);
  const summary = `${status}: ${outcomes.map((o) => `${o.name} ${o.status} (${o.message})`).join(', ')}`;
  if (status === 'FAIL') {
    const failing = outcomes
      .filter((o) => o.status === 'FAIL')
      .map(describeOutcome)
      .join('; ');
    throw ApplicationFailure.nonRetryable(
      `V2 shadow run differs from V1: ${failing}`,
      FailureType.KpiMismatch,
      brief(outcomes),
    );
  }
  const baseline = baselineFromShadow(outcomes);
  let recordedIn: string | undefined;
  if (Object.keys(baseline).length) {
    const workflowId = runningWorkflowId();
    // The cutover goes on without the file: Phase 5 and the monitoring get the values handed over.
    recordedIn = await recordBaseline(loaded, baseline, `shadow run${workflowId ? ` of ${workflowId}` : ''}`).catch(
      (err: Error) => {
        log.warn(`V1's baseline could not be recorded in the plan's baseline store: ${err.message}`);
        return undefined;
      },
    );
  }
  return {
    baseline,
    summary: recordedIn ? `${summary}; V1's answers recorded in ${recordedIn}` : summary,
    outcomes: brief(outcomes),
    recordedIn,
  };
}

/** After a rollback: V1 restored must give what it gave before (only checks in compare mode, at phase5). */
export async function compareChecksWithBaseline(
  loaded: LoadedPlan,
  role: ServiceRole,
  baseline: BaselineValues,
): Promise<{ summary: string }> {
  const compared = loaded.plan.checks.filter((c) => c.compare && c.at.includes('shadow'));
  const outcomes: CheckOutcome[] = [];
  for (const check of compared)
    outcomes.push(...(await runChecksAt(loaded, role, 'phase5', { baseline, only: check.name })));
  const failing = outcomes.filter((o) => o.status === 'FAIL');
  const summary = outcomes.length
    ? outcomes.map((o) => `${o.name} ${o.status} (${o.message})`).join(', ')
    : 'no compare checks in the plan';
  if (failing.length)
    throw ApplicationFailure.nonRetryable(
      `${role} differs from the pre-cutover baseline: ${failing.map(describeOutcome).join('; ')}`,
      FailureType.KpiMismatch,
      brief(outcomes),
    );
  return { summary };
}
