/**
 * Starting the rollback as a child, for the cutover and its monitoring alike. A child that
 * cannot even run (its id taken by a manual rollback, terminated by someone) is a FAILED
 * rollback like any other: told loudly, never a workflow that just fails with nobody notified.
 */
import { CancellationScope, ParentClosePolicy, executeChild } from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { RollbackInput, RollbackView } from '../domain/rollback-model';
import { rollbackWorkflow } from './rollback';
import { failureMessage } from './failure-message';
import { notifyBestEffort } from './notify-best-effort';
import { outcomeView } from '../domain/outcome';

export async function runRollbackChild(
  workflowId: string,
  staticSummary: string,
  args: RollbackInput & { loaded: LoadedPlan },
): Promise<Pick<RollbackView, 'status' | 'durationMs' | 'message'>> {
  try {
    return await CancellationScope.nonCancellable(() =>
      executeChild(rollbackWorkflow, {
        workflowId,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary,
        args: [args],
      }),
    );
  } catch (err) {
    // A rollback that ran and failed ends its run FAILED carrying its view: that is its answer.
    const ended = outcomeView<RollbackView>(err);
    if (ended) return ended;
    const message =
      `the rollback workflow ${workflowId} did not complete: ` +
      `${failureMessage(err)}; the state of V1 and V2 is unknown`;
    await notifyBestEffort(args.loaded, {
      key: `${args.cutoverId ?? workflowId}:rollback-not-run`,
      text:
        `Rollback of ${args.cutoverId ?? workflowId} FAILED, needs a ` +
        `human: ${message}. Next: cutover status ${workflowId}; check ` +
        `both services (cutover service status <plan file> v1|v2), then ` +
        `cutover rollback --plan <plan file> --reason "…"`,
      severity: 'critical',
    });
    return { status: 'FAILED', message };
  }
}
