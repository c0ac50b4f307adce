/** Starting cutovers in tests and waiting on their status, without timed assertions. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TASK_QUEUE } from '../../domain/names';
import type { CutoverInput, CutoverView, PhaseId } from '../../domain/cutover-model';
import { viewOrThrow } from '../../domain/outcome';

let seq = 0;
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${Date.now()}-${++seq}`;

export function startCutover(client: Client, plan: Record<string, unknown>, input: Partial<CutoverInput> = {}) {
  return client.workflow.start('cutoverWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: uniqueId('cutover-test'),
    args: [{ plan, startedBy: 'starter', monitor: false, ...input }],
  });
}

export async function waitForStatus(handle: WorkflowHandle, pred: (v: CutoverView) => boolean): Promise<CutoverView> {
  for (;;) {
    const view = await handle.query<CutoverView>('status');
    if (pred(view)) return view;
    await new Promise((r) => setTimeout(r, 150));
  }
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
