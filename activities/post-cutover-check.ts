/**
 * Phase 5 and the monitoring loop: the five production checks against the service now serving,
 * its KPIs compared with what V1 computed before the switch (the shadow run's baseline).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/service-schema';
import type { BaselineValues } from '../domain/baseline';
import { describeProblems, summarizeReport, type ValidationReport } from '../domain/validation-report';
import { runProductionValidation } from './checks/production-validation';
import { FailureType } from './failure-types';
import { log } from './activity-log';
import type { CheckMoment } from '../domain/check-schema';
import type { CheckOutcome } from '../domain/check-outcome';
import { writeValidationReport } from './reports/validation-report-file';
import { runningWorkflowId } from '../infra/activity-context';

/**
 * Phase 5 and each checkpoint leave their report in reports.dir, named after the workflow and the
 * moment (a checkpoint by the name the monitoring gives it, its offset: the monitoring's id
 * outlives its runs and its clock may be skipped), e.g. `cutover-x-phase5.json`,
 * `cutover-x-monitoring-checkpoint-01h00m00s.json`. Outside a workflow (tests, the CLI) nothing is
 * written: the caller has its own `--out`.
 */
async function keepReport(
  loaded: LoadedPlan,
  report: ValidationReport,
  moment: CheckMoment,
  reportName?: string,
): Promise<string | undefined> {
  const workflowId = runningWorkflowId();
  if (!workflowId) return undefined;
  const name =
    reportName ?? (moment === 'phase5' ? moment : `${moment}-${report.timestamp.replace(/[-:]|\.\d+/g, '')}`);
  return writeValidationReport(loaded, report, `${workflowId}-${name}`);
}

/**
 * Phase 5: PASS or WARN returns (a WARN is for people to weigh, not a reason to roll back);
 * FAIL throws non-retryable with the report as details, naming each failing check and why.
 */
export async function validateProduction(
  loaded: LoadedPlan,
  role: ServiceRole,
  baseline?: BaselineValues,
  hosted?: CheckOutcome[],
): Promise<{ status: 'PASS' | 'WARN'; summary: string; report: ValidationReport }> {
  const report = await productionValidation(loaded, role, baseline, 'phase5', hosted);
  const file = report.reportFile ? `; report ${report.reportFile}` : '';
  const summary = summarizeReport(report) + file;
  if (report.status === 'FAIL') {
    const problems = describeProblems(report).join('; ');
    throw ApplicationFailure.nonRetryable(
      `production validation of ${report.target.name} FAILED: ${problems}${file}`,
      FailureType.ValidationFailed,
      report,
    );
  }
  return { status: report.status, summary, report };
}

/**
 * The same checks for the monitoring loop and Schedules: a FAIL is data to act on, not an error.
 * `hosted`: what the command checks gave on their hosts' agents, ahead of this run; `reportName`:
 * what its report file is called after the workflow id (keepReport).
 */
export async function productionValidation(
  loaded: LoadedPlan,
  role: ServiceRole,
  baseline?: BaselineValues,
  moment: CheckMoment = 'phase5',
  hosted?: CheckOutcome[],
  reportName?: string,
): Promise<ValidationReport> {
  const report = await runProductionValidation(loaded, role, { baseline, moment, hosted: hosted ?? undefined });
  if (moment === 'phase5' || moment === 'checkpoint')
    report.reportFile = await keepReport(loaded, report, moment, reportName);
  if (report.status !== 'PASS')
    log.warn(`production validation of ${report.target.name}: ${summarizeReport(report)}`, {
      role,
      status: report.status,
    });
  return report;
}
