/**
 * A cancel request (the UI's "Request Cancellation", `temporal workflow cancel`) as data: who
 * sent it, why and when, read from the run's WorkflowExecutionCancelRequested event. Pure.
 */
export interface CancelRequest {
  /** the client identity the request came with ("temporal-cli:alice@host", the UI's), or "unknown" */
  by: string;
  /** the reason given with the request, when one was (the CLI sends none for a single workflow) */
  reason?: string;
  /** when the server recorded the request (ISO, UTC) */
  at: string;
}

/** "cancelled by alice@ops at 2026-12-03T08:50:12.000Z: window closed" */
export const cancelText = (r: CancelRequest) => `cancelled by ${r.by} at ${r.at}${r.reason ? `: ${r.reason}` : ''}`;
