/** Where each activity of a workflow ran: the host-routing tests assert it from history. */
import type { WorkflowHandle } from '@temporalio/client';

const decode = (data?: Uint8Array | null) => (data ? Buffer.from(data).toString('utf8') : '');

/**
 * Activity type, role argument (JSON text, '' if none), 4th argument (command-check names) and task queue, in order.
 */
export async function activityQueues(
  handle: WorkflowHandle,
): Promise<{ type: string; role: string; names: string; queue: string }[]> {
  return ((await handle.fetchHistory()).events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a): a is NonNullable<typeof a> => !!a)
    .map((a) => ({
      type: a.activityType!.name!,
      role: decode(a.input?.payloads?.[1]?.data),
      names: decode(a.input?.payloads?.[3]?.data),
      queue: a.taskQueue!.name!,
    }));
}
