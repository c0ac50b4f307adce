/**
 * Worker capacity settings from the environment, for a worker that holds many monitorings
 * (bench/README.md "Many monitorings on one worker"). Unset means the SDK's own default, which is right for
 * the few-workflows case. A value that is not a positive whole number (or duration) stops the
 * worker at start with the variable's name and the fix.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { parseDuration } from '../domain/duration';

/** env var → WorkerOptions field (counts). */
const COUNTS = {
  CUTOVER_MAX_CACHED_WORKFLOWS: 'maxCachedWorkflows',
  CUTOVER_WORKFLOW_TASK_SLOTS: 'maxConcurrentWorkflowTaskExecutions',
  CUTOVER_WORKFLOW_TASK_POLLS: 'maxConcurrentWorkflowTaskPolls',
  CUTOVER_LOCAL_ACTIVITY_SLOTS: 'maxConcurrentLocalActivityExecutions',
  CUTOVER_ACTIVITY_SLOTS: 'maxConcurrentActivityTaskExecutions',
  CUTOVER_WORKFLOW_THREADS: 'workflowThreadPoolSize',
} as const;

export class WorkerTuningError extends Error {}

/** The WorkerOptions fields set by CUTOVER_* capacity variables (only those that are set). */
export function tuningFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<WorkerOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(COUNTS)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    // 0 is allowed only for the cache (0 = no cache: every task replays its whole history)
    const min = field === 'maxCachedWorkflows' ? 0 : 1;
    if (!/^\d+$/.test(raw) || Number(raw) < min)
      throw new WorkerTuningError(
        `${name}="${raw}": expected a whole number ≥ ${min} (unset it ` + `for the SDK default)`,
      );
    out[field] = Number(raw);
  }
  const sticky = env.CUTOVER_STICKY_TIMEOUT?.trim();
  if (sticky) {
    try {
      out.stickyQueueScheduleToStartTimeout = parseDuration(sticky);
    } catch {
      throw new WorkerTuningError(
        `CUTOVER_STICKY_TIMEOUT="${sticky}": expected a duration such ` + `as 10s or 1m (unset it for the SDK's 10s)`,
      );
    }
  }
  return out as Partial<WorkerOptions>;
}
