/**
 * Heartbeats and retry causes that degrade to no-ops outside a Temporal activity
 * (infra/activity-context.ts), so the same activity code runs in plain unit tests and scripts.
 * Long steps heartbeat every ~2 s against a heartbeat timeout of a few seconds
 * (workflows/activity-proxies.ts): a lost worker costs seconds, not tens of seconds.
 */
import { currentActivity } from '../infra/activity-context';

export const HEARTBEAT_EVERY_MS = 2_000;

/** Record liveness (and progress details) for the worker; no-op outside an activity. */
export function heartbeat(details?: unknown): void {
  const ctx = currentActivity();
  // A local activity (the sentinel) has no heartbeat: the server would log UnknownActivity.
  if (ctx && !ctx.info.isLocal) ctx.heartbeat(details);
}

/** Heartbeats every ~2 s while a long step runs (a child process, a copy); returns the stop. */
export function keepAlive(details: () => unknown, everyMs = HEARTBEAT_EVERY_MS): () => void {
  if (!currentActivity()) return () => undefined;
  heartbeat(details());
  const timer = setInterval(() => heartbeat(details()), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Why this is not the first attempt, for the status and the log: "worker lost during the test
 * run, retrying 2/3". A step whose own failure is final (a red test suite) is never retried, so
 * a later attempt means the earlier one stopped answering: its worker died or was cut off.
 */
export function retryCause(what: string): string | undefined {
  const info = currentActivity()?.info;
  if (!info || info.attempt <= 1) return undefined;
  const max = info.retryPolicy?.maximumAttempts;
  const last = info.heartbeatDetails as { elapsedMs?: number } | undefined;
  const seen = last?.elapsedMs !== undefined ? ` (last heard ${Math.round(last.elapsedMs / 1000)} s into it)` : '';
  return `worker lost during ${what}${seen}, retrying ${info.attempt}${max ? `/${max}` : ''}`;
}
