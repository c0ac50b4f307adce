/**
 * After `cutover abort` / `cutover rollback` signals a workflow, ask it (status query) whether it
 * took the request, instead of printing "sent" to a workflow that may be stalled or gone.
 */
import type { Client } from '@temporalio/client';
import { FINAL_STATUSES, type CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { CliError, EXIT } from '../exit-codes';

type AnyView = Partial<CutoverView> & Partial<Pick<MonitoringView, 'rollback'>> & { status?: string; message?: string };

/** What shows that the workflow took the stop, or undefined while it has not (yet). */
export function stopTaken(view: AnyView): string | undefined {
  if (view.stopRequest) return `${view.stopRequest.reason} (${view.status})`;
  if (view.rollback) return `rolling back: ${view.rollback.reason} (${view.status})`;
  if (view.status && (FINAL_STATUSES as string[]).includes(view.status))
    return `it has ended: ${view.status} — ${view.message}`;
  if (view.status && ['ROLLED_BACK', 'FAILED', 'COMPLETED', 'ROLLING_BACK'].includes(view.status))
    return `${view.status} — ${view.message}`;
  return undefined;
}

/** Polls `status` for up to `waitMs`; throws a CliError that says plainly when the stop was not taken. */
export async function confirmStop(
  client: Client,
  id: string,
  what: string,
  waitMs = Number(process.env.CUTOVER_CONFIRM_MS ?? 15_000),
): Promise<string> {
  const until = Date.now() + waitMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const view = await client.withDeadline(Date.now() + 5_000, () =>
        client.workflow.getHandle(id).query<AnyView>('status'),
      );
      const taken = stopTaken(view);
      if (taken) return taken;
      last = `status ${view.status}: ${view.message}`;
    } catch (err) {
      last = `the status query failed: ${(err as Error).message}`;
    }
    if (Date.now() >= until) {
      throw new CliError(
        `${what} is in ${id}'s history, but the workflow did not take ` +
          `it within ${Math.round(waitMs / 1000)}s (${last}). ` +
          `Is a worker running on the task queue? Look at it with: cutover status ${id} (or the Temporal UI).`,
        EXIT.FAILED,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
