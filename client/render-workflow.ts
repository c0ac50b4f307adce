/**
 * `cutover status` of any workflow of ours, chosen by its type (not by the shape of its view): a
 * cutover, its monitoring, a rollback, a validation, a lock; a run that ended without a view of
 * its own says how it ended instead.
 */
import type { CutoverView } from '../domain/cutover-model';
import type { MonitoringView } from '../domain/monitoring-model';
import type { RollbackView } from '../domain/rollback-model';
import { formatDuration } from '../domain/duration';
import { cancelText } from '../domain/cancel-request';
import type { ValidationStatus } from '../workflows/messages';
import { LOCK_WORKFLOW_TYPE } from '../domain/lock-keys';
import { closedLine, type WorkflowRead } from './read-view';
import { renderStatus } from './render-status';
import { renderMonitoring } from './render-monitoring';

const MARK = { passed: '✓', failed: '✗', skipped: '–' } as const;

export function renderRollback(id: string, view: RollbackView): string {
  return [
    `${id}  rollback: ${view.reason}`,
    ...view.steps.map(
      (s) => `  ${MARK[s.state]} ${s.name.padEnd(40)} ${formatDuration(s.durationMs).padStart(8)}  ${s.message ?? ''}`,
    ),
    ...(view.cancelRequest && view.status === 'RUNNING'
      ? [`  ${cancelText(view.cancelRequest)}: not cancellable, it goes on to its end`]
      : []),
    `STATUS: ${view.status}` +
      `${view.durationMs === undefined ? '' : ` in ${formatDuration(view.durationMs)}`} ` +
      `— ${view.message}`,
  ].join('\n');
}

/** The running status, or the result (which says `summary` where the status says `message`). */
export function renderValidation(
  id: string,
  view: ValidationStatus | { status: string; summary: string; reportPath?: string },
): string {
  const message = 'message' in view ? view.message : view.summary;
  return [
    `${id}  validation`,
    ...(view.reportPath ? [`  report: ${view.reportPath}`] : []),
    `STATUS: ${view.status} — ${message}`,
  ].join('\n');
}

export function renderWorkflow(read: WorkflowRead<unknown>): string {
  const { workflowId: id, type, view, closed } = read;
  const ended = closed ? `the workflow ${closedLine(closed)}` : undefined;
  if (type === LOCK_WORKFLOW_TYPE) {
    const holder = read.parent ? `held by ${read.parent}` : 'no holder (not started by a cutover)';
    const state = read.running ? holder : `released (${holder.replace('held by', 'was held by')})`;
    return `${id}  lock, ${state}${ended ? `\nSTATUS: ${ended}` : ''}`;
  }
  if (view === undefined) return `${id}  ${type}\nSTATUS: ${closed ? closedLine(closed) : 'no status'}`;
  const text =
    type === 'monitoringWorkflow'
      ? renderMonitoring(view as MonitoringView)
      : type === 'rollbackWorkflow'
        ? renderRollback(id, view as RollbackView)
        : type === 'validationWorkflow'
          ? renderValidation(id, view as ValidationStatus)
          : renderStatus(view as CutoverView);
  // a view carried by a failure is final, but the run still ended failed: both are said
  return ended ? `${text}\n  (${ended})` : text;
}
