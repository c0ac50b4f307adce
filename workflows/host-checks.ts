/**
 * Command checks on their hosts: before a validation activity runs a moment's checks on the
 * orchestrator, the command ones whose script lives on a host (domain/host-placement.ts) run on
 * that host's agent, one host after another; their outcomes go to the validation activity, which
 * puts them in their place. A plan without such checks schedules nothing new and passes nothing
 * new, so its commands are unchanged.
 */
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/service-schema';
import type { CheckMoment } from '../domain/check-schema';
import type { CheckOutcome } from '../domain/check-outcome';
import { hostedCheckGroups, type HostChecksContext } from '../domain/host-placement';
import type { BaselineValues } from '../domain/baseline';
import type { ValidationReport } from '../domain/validation-report';
import type { Activities } from '../activities';
import { onHostNamed } from './host-routing';
import { failureMessage } from './failure-message';

/** undefined when nothing ran on a host (pass nothing on); else every hosted check's outcome. */
export async function hostCheckOutcomes(
  loaded: LoadedPlan,
  role: ServiceRole,
  moment: CheckMoment,
  context: HostChecksContext = {},
): Promise<CheckOutcome[] | undefined> {
  const groups = hostedCheckGroups(loaded.plan, role, moment);
  if (!groups.length) return undefined;
  const outcomes: CheckOutcome[] = [];
  for (const { host, names } of groups) {
    try {
      const summary = `Command checks ${names.join(', ')} of ${role.toUpperCase()} (${moment})`;
      outcomes.push(
        ...(await onHostNamed(loaded, host, 'validation', summary).runHostChecks(loaded, role, moment, names, context)),
      );
    } catch (err) {
      // No answer from the host is no data about the service: each check's `inconclusive` decides.
      outcomes.push(
        ...names.map((name) =>
          notRun(loaded, name, role, moment, `could not run on host ${host}: ${failureMessage(err)}`),
        ),
      );
    }
  }
  return outcomes;
}

/**
 * `productionValidation` of a moment (checkpoint, schedule) through `validation`, its command checks first on their
 * hosts. `reportName`: what the moment's report file is called after the workflow id (a checkpoint's offset).
 */
export async function validationWithHostChecks(
  validation: Activities,
  loaded: LoadedPlan,
  role: ServiceRole,
  baseline: BaselineValues | undefined,
  moment: CheckMoment,
  reportName?: string,
): Promise<ValidationReport> {
  const hosted = await hostCheckOutcomes(loaded, role, moment, { baseline, baselineFromPlan: true });
  return validation.productionValidation(loaded, role, baseline, moment, hosted, reportName);
}

function notRun(loaded: LoadedPlan, name: string, role: ServiceRole, moment: CheckMoment, why: string): CheckOutcome {
  const check = loaded.plan.checks!.find((c) => c.name === name)!;
  const fails = check.inconclusive === 'fail' || (check.inconclusive === 'retry' && check.afterRetries === 'fail');
  return {
    name,
    report: check.report ?? name,
    provider: 'command',
    target: role,
    moment,
    status: fails ? 'FAIL' : 'WARN',
    inconclusive: why,
    message: `inconclusive: ${why}`,
    metrics: {},
    onFail: check.onFail,
    durationMs: 0,
  };
}
