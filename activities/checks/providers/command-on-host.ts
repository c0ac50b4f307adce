/**
 * The host agent's side of command checks: a team's script runs on the machine where its files
 * are (domain/host-placement.ts says which). The workflow sends the checks of one host here, on
 * that host's queue, and hands their outcomes to the validation activity on the orchestrator,
 * which puts them in their place among the other providers' outcomes (plan order, one report).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../../domain/loaded-plan';
import type { ServiceRole } from '../../../domain/service-schema';
import type { CheckMoment } from '../../../domain/check-schema';
import type { CheckOutcome } from '../../../domain/check-outcome';
import type { HostChecksContext } from '../../../domain/host-placement';
import { planBaseline } from '../baseline-store';
import { FailureType } from '../../failure-types';
import { PROVIDERS } from './index';
import { runCheck } from '../run-check';

/** Runs the named checks of `moment` against `role`, one after another, as the orchestrator would. */
export async function runHostChecks(
  loaded: LoadedPlan,
  role: ServiceRole,
  moment: CheckMoment,
  names: string[],
  context: HostChecksContext = {},
): Promise<CheckOutcome[]> {
  const checks = (loaded.plan.checks ?? []).filter((c) => names.includes(c.name));
  const missing = names.filter((n) => !checks.some((c) => c.name === n));
  if (missing.length)
    throw ApplicationFailure.nonRetryable(
      `checks ${missing.join(', ')} are not in plan ` +
        `${loaded.plan.name}: the plan changed under a running workflow`,
      FailureType.InvalidPlan,
    );
  const baseline = context.baseline ?? (context.baselineFromPlan ? await planBaseline(loaded) : undefined);
  const outcomes: CheckOutcome[] = [];
  for (const check of checks)
    outcomes.push(
      await runCheck(loaded, check, role, { moment, baseline, v1Live: context.v1Live, providers: PROVIDERS }),
    );
  return outcomes;
}
