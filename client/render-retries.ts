/**
 * Why a step is on its second attempt, read from the workflow's pending activities (the status
 * query cannot see retries): "↻ runPlanTests attempt 2/3: worker lost during the test run …".
 */
import type { WorkflowHandle } from '@temporalio/client';

const decode = (data?: Uint8Array | null) => {
  try {
    return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { retry?: string }) : undefined;
  } catch {
    return undefined;
  }
};

export async function retryLines(handle: WorkflowHandle): Promise<string[]> {
  const { raw } = await handle.describe();
  return (raw.pendingActivities ?? [])
    .filter((a) => (a.attempt ?? 1) > 1)
    .map((a) => {
      const cause = (a.heartbeatDetails?.payloads ?? []).map((p) => decode(p.data)?.retry).find(Boolean);
      const last = a.lastFailure?.message;
      const max = a.maximumAttempts ? `/${a.maximumAttempts}` : '';
      return (
        `  ↻ ${a.activityType?.name ?? 'step'} attempt ${a.attempt}` +
        `${max}: ${cause ?? (last ? `previous attempt failed: ${last}` : 'retrying')}`
      );
    });
}
