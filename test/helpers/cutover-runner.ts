/** Starting cutovers in tests and waiting on their status, without timed assertions. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TASK_QUEUE } from '../../domain/names';
import type { CutoverInput, CutoverView, PhaseId } from '../../domain/cutover-model';
import { viewOrThrow } from '../../domain/outcome';
import { waitFor } from './wait-for';

let seq = 0;
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${Date.now()}-${++seq}`;

export function startCutover(
  client: Client,
  plan: Record<string, unknown>,
  input: Partial<CutoverInput> = {},
  workflowId = uniqueId('cutover-test'),
) {
  return client.workflow.start('cutoverWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [{ plan, startedBy: 'starter', monitor: false, ...input }],
  });
}

export const ENDED = ['SUCCESS', 'ABORTED', 'ROLLED_BACK', 'FAILED', 'CANCELLED', 'COMPLETED'];

/** Its `status` once `pred` holds; fails at once when the run ended without it ever holding. */
export async function waitForStatus<V extends { status: string; message?: string } = CutoverView>(
  handle: WorkflowHandle,
  pred: (v: V) => boolean,
): Promise<V> {
  return waitFor(`${handle.workflowId} to reach the awaited state`, async () => {
    const view = await handle.query<V>('status');
    if (pred(view)) return view;
    if (ENDED.includes(view.status)) throw new Error(`${handle.workflowId} ended ${view.status}: ${view.message}`);
    return undefined;
  });
}

/** Waits until the cutover is held before `phase`, lets the test break something, then resumes it. */
export async function atHold(
  handle: WorkflowHandle,
  phase: PhaseId,
  act: () => Promise<void> | void,
): Promise<CutoverView> {
  await waitForStatus(handle, (v) => v.heldBefore === phase);
  await act();
  await handle.signal('resume', { phase });
  return (await handle.result().catch(viewOrThrow)) as CutoverView;
}
