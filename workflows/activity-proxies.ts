/**
 * Activity proxies with their timeout and retry presets named once. Workflows import the
 * activity *types* only; each call may carry a UI summary ("Stop V1 (abaco-v1)").
 */
import { ActivityCancellationType, proxyActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../domain/non-retryable';

const retry: RetryPolicy = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE };

export const presets = {
  /** reads and probes: fast, safe to repeat */
  quick: { startToCloseTimeout: '1m', retry } satisfies ActivityOptions,
  /**
   * starts, stops, backups: heartbeat so a dead worker is noticed in seconds, not minutes. An
   * abort waits for the step to settle: a rollback must not start V1 while its stop still runs.
   */
  service: {
    startToCloseTimeout: '10m',
    heartbeatTimeout: '20s',
    retry,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  } satisfies ActivityOptions,
  /** a test suite runs once: a second run of a failed suite proves nothing */
  long: { startToCloseTimeout: '30m', heartbeatTimeout: '30s', retry: { ...retry, maximumAttempts: 1 } } satisfies ActivityOptions,
  /** validations only read: retried, so a worker restart mid-check costs a retry, not a rollback */
  validation: { startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry } satisfies ActivityOptions,
} as const;

export function act(preset: keyof typeof presets, summary?: string, startToCloseMs?: number) {
  const options: ActivityOptions = { ...presets[preset], summary };
  if (startToCloseMs) options.startToCloseTimeout = startToCloseMs + 60_000;
  return proxyActivities<Activities>(options);
}
