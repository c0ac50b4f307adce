/**
 * validationWorkflow: one production validation of the serving service, the runbook's "validate
 * every few hours" in steady state. A Temporal Schedule (`cutover schedule create`) starts it;
 * each run writes its JSON report and speaks up only when something is wrong: a PASS is silent,
 * so a 4-hourly schedule does not train people to ignore the channel.
 */
import {
  CancellationScope,
  isCancellation,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import { checkInput, validationInputSchema } from '../domain/message-schemas';
import type { PlanRef } from '../domain/cutover-model';
import type { BaselineValues } from '../domain/baseline';
import type { ServiceRole } from '../domain/service-schema';
import { planKey, statusKey } from '../domain/search-attributes';
import {
  describeProblems,
  summarizeReport,
  type CheckStatus,
  type ValidationReport,
} from '../domain/validation-report';
import { act } from './activity-proxies';
import { validationWithHostChecks } from './host-checks';
import { validationStatusQuery, type ValidationStatus } from './messages';
import { notifyBestEffort } from './notify-best-effort';
import { failureMessage } from './failure-message';
import { endWith } from './outcome';
import type { LoadedPlan } from '../domain/loaded-plan';
import { whenCancelRequested } from './cancel-request';
import { cancelText } from '../domain/cancel-request';

export interface ValidationInput {
  /** a plan path (resolved by the worker) or the plan inline */
  plan: PlanRef;
  /** the service to validate; default v2, the one serving after a cutover */
  target?: ServiceRole;
  /** KPIs to compare against; without one the KPI check can only WARN "no baseline" (or use the plan's baselineFile) */
  baseline?: BaselineValues;
}

export interface ValidationResult {
  status: CheckStatus;
  summary: string;
  reportPath: string;
  report: ValidationReport;
}

/** A validation someone cancelled (UI, `temporal workflow cancel`): stopped where it was, nothing reported. */
export interface CancelledValidation {
  status: 'CANCELLED';
  summary: string;
}

// Every field of the interface is in the schema (a field added to one only fails tsc).
export const SCHEMA_COVERS_INPUT: [
  Exclude<keyof ValidationInput, keyof z.input<typeof validationInputSchema>>,
] extends [never]
  ? true
  : false = true;

/** A run that validated nothing (bad input, no plan): it ends FAILED (ValidationNotRun) with this. */
interface ValidationNotRun {
  status: 'FAILED';
  summary: string;
}

export async function validationWorkflow(rawInput: ValidationInput): Promise<ValidationResult | CancelledValidation> {
  // Like every workflow here it answers `status`, from the first moment (a query adds nothing to history).
  const status: ValidationStatus = { status: 'RUNNING', message: 'starting' };
  setHandler(validationStatusQuery, () => status);
  // It only reads: a cancel stops it where it is (the step in hand is cancelled) and is recorded as its result.
  const cancelled = whenCancelRequested();
  let end: ValidationResult | ValidationNotRun | CancelledValidation;
  try {
    end = await runValidation(rawInput, status);
  } catch (err) {
    if (!isCancellation(err) || !CancellationScope.current().consideredCancelled) throw err;
    const summary = `${cancelText(await cancelled)}; stopped while ${status.message}`;
    Object.assign(status, { status: 'CANCELLED', message: summary });
    upsertSearchAttributes([{ key: statusKey, value: 'CANCELLED' }]);
    setCurrentDetails(`**CANCELLED** — ${summary}`);
    log.warn(`validation ${summary}`);
    end = { status: 'CANCELLED', summary };
  }
  return endWith('Validation', end) as ValidationResult | CancelledValidation;
}

async function runValidation(
  rawInput: ValidationInput,
  status: ValidationStatus,
): Promise<ValidationResult | ValidationNotRun> {
  const { workflowId } = workflowInfo();
  // Fails the run visibly (schedule, UI, CutoverStatus=FAILED), never its workflow task: no retry fixes an input.
  const notRun = (summary: string): ValidationNotRun => {
    Object.assign(status, { status: 'FAILED', message: summary });
    upsertSearchAttributes([{ key: statusKey, value: 'FAILED' }]);
    setCurrentDetails(`**FAILED** — ${summary}`);
    return { status: 'FAILED', summary };
  };
  const checked = checkInput<ValidationInput>(validationInputSchema, rawInput);
  if (!checked.ok) return notRun(`invalid input, nothing validated: ${checked.message}`);
  const input = checked.value;
  const target = input.target ?? 'v2';
  upsertSearchAttributes([{ key: statusKey, value: 'RUNNING' }]);
  setCurrentDetails(`Validating ${target}…`);
  status.message = `validating ${target}`;

  let loaded: LoadedPlan;
  try {
    loaded = await act('quick', 'Load and validate the plan').loadPlan(input.plan);
  } catch (err) {
    if (isCancellation(err)) throw err;
    // No plan, no notification channel: the run fails visibly (schedule, UI) instead of saying RUNNING.
    return notRun(`cannot load the plan, nothing validated: ${failureMessage(err)}`);
  }
  upsertSearchAttributes([{ key: planKey, value: loaded.plan.name }]);
  const name = loaded.plan.services[target].name;
  // A FAIL is the service's verdict, not an error of the run: reported and notified like a WARN, then the
  // run ends FAILED (ValidationFail) carrying this result; a run that validated nothing is ValidationNotRun.
  let report: ValidationReport;
  let reportPath: string;
  try {
    report = await validationWithHostChecks(
      act('long', `Production validation of ${name} (${target})`),
      loaded,
      target,
      input.baseline,
      'schedule',
    );
    reportPath = await act('quick', 'Write the validation report').writeValidationReport(loaded, report, workflowId);
  } catch (err) {
    if (isCancellation(err)) throw err;
    return notRun(`the validation of ${name} (${target}) did not complete: ${failureMessage(err)}`);
  }
  const summary = summarizeReport(report);

  upsertSearchAttributes([{ key: statusKey, value: report.status }]);
  Object.assign(status, { status: report.status, message: summary, reportPath });
  setCurrentDetails(`**${report.status}** — ${name} (${target})\n\n${summary}\n\nReport: \`${reportPath}\``);
  if (report.status !== 'PASS') {
    const problems = describeProblems(report, report.status).join('; ');
    const text =
      `Scheduled validation of ${name} (${target}) ` +
      `${report.status === 'FAIL' ? 'FAILED' : 'WARN'}: ${problems}. ` +
      `Report: ${reportPath} (${workflowId})`;
    // Keyed by run: a retried notify activity does not post twice.
    await notifyBestEffort(loaded, {
      key: `${workflowId}:validation`,
      text,
      severity: report.status === 'FAIL' ? 'critical' : 'warning',
    });
  }
  log.info(`validation of ${name}: ${summary}`);
  return { status: report.status, summary, reportPath, report };
}
