/**
 * The three ways a monitoring ends, each recorded alike (the router read, the report written, the
 * leads told): completed after its duration, cancelled (V2 left serving), or rolled back by a
 * child rollback workflow.
 */
import { workflowInfo } from '@temporalio/workflow';
import { uptimeLine, type MonitoringView } from '../domain/monitoring-model';
import { hourLabel } from '../domain/monitoring-schedule';
import { workflowIds } from '../domain/names';
import { cancelText, type CancelRequest } from '../domain/cancel-request';
import { act } from './activity-proxies';
import { runRollbackChild } from './rollback-child';
import { readRouter } from './monitoring-traffic';
import type { MonitoringRun } from './monitoring-run';

export async function completeMonitoring(run: MonitoringRun): Promise<MonitoringView> {
  const { loaded, plan, state, table, view } = run;
  await readRouter(loaded, state, state.elapsedMs, 'monitoring end');
  const report = await act('quick', `Write the ${plan.monitoring.duration} monitoring report`).writeMonitoringReport(
    loaded,
    run.refresh('COMPLETED', `${plan.monitoring.duration} monitoring complete, ${uptimeLine(state)}`),
  );
  view.report = report;
  const done =
    table.durationMs >= 24 * 3_600_000
      ? '24-Hour Cutover Complete ✓'
      : `${plan.monitoring.duration} monitoring complete ✓`;
  await run.notify(
    'complete',
    `${done} — ${uptimeLine(state)}, ${state.rows.length} validations, ` +
      `${state.warnings.length} warning(s). Report: ${report.markdown}`,
  );
  return run.refresh();
}

/** A recorded end like the others; V2 is left serving. */
export async function endCancelled(run: MonitoringRun, request: CancelRequest): Promise<MonitoringView> {
  const { input, loaded, plan, state, view } = run;
  view.cancelRequest = request;
  await readRouter(loaded, state, state.elapsedMs, 'monitoring cancelled');
  const message = `${cancelText(request)}; V2 keeps serving; ${uptimeLine(state)}`;
  const writer = act('quick', 'Write the monitoring report');
  const report = await writer.writeMonitoringReport(loaded, run.refresh('CANCELLED', message));
  view.report = report;
  const when = `${hourLabel(state.elapsedMs)} of ${plan.monitoring.duration}`;
  const text = `Monitoring of ${input.cutoverId} CANCELLED at ${when}: ${message}. Report: ${report.markdown}`;
  await run.notify('cancelled', text, 'warning');
  return run.refresh();
}

export async function rollBack(run: MonitoringRun, reason: string): Promise<MonitoringView> {
  const { input, loaded, state, view } = run;
  const workflowId = workflowIds.rollback(input.cutoverId);
  state.rollbackStartedOffsetMs = run.offsetNow();
  view.rollback = { workflowId, reason, startedOffsetMs: state.rollbackStartedOffsetMs };
  run.refresh('ROLLING_BACK', reason);
  await run.notify('rollback', `Monitoring of ${input.cutoverId}: rolling back — ${reason}`, 'critical');
  const result = await runRollbackChild(workflowId, `Rollback of ${input.cutoverId} from monitoring`, {
    plan: input.plan,
    loaded,
    cutoverId: input.cutoverId,
    reason,
    requestedBy: workflowInfo().workflowId,
    backup: input.backup,
    baseline: input.baseline,
  });
  Object.assign(view.rollback, { status: result.status, durationMs: result.durationMs, message: result.message });
  await readRouter(loaded, state, run.offsetNow(), 'after the rollback');
  view.report = await act('quick', 'Write the monitoring report').writeMonitoringReport(
    loaded,
    run.refresh(
      result.status === 'ROLLED_BACK' ? 'ROLLED_BACK' : 'FAILED',
      `${reason}; rollback ${result.status}: ${result.message}`,
    ),
  );
  return run.refresh();
}
