/**
 * The newest events of a run, newest first, without reading the whole history: what ended it
 * (terminated, failed, cancelled) and who asked for a cancel are at its end, however long the
 * history is. Used by the CLI (`cutover status`) and by the activity that tells a workflow who
 * cancelled it.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The newest event of the run that `pick` accepts, or undefined; reads at most `maxEvents` from the end. */
export async function newestEvent<T>(
  client: Client,
  execution: { workflowId: string; runId?: string },
  pick: (e: HistoryEvent) => T | undefined,
  maxEvents = 1_000,
): Promise<T | undefined> {
  let nextPageToken: Uint8Array | undefined;
  let read = 0;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution,
      maximumPageSize: 100,
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      const picked = pick(event);
      if (picked !== undefined) return picked;
    }
    read += page.history?.events?.length ?? 0;
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken && read < maxEvents);
  return undefined;
}

/** An event's time as ISO UTC. */
export function eventTime(e: HistoryEvent): string {
  const t = e.eventTime;
  return new Date(Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6)).toISOString();
}
