/**
 * Activity proxies with their timeout and retry presets named once. Workflows import the
 * activity *types* only; each call may carry a UI summary ("Stop V1 (abaco-v1)").
 */
import { proxyActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../domain/non-retryable';

const retry: RetryPolicy = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE };

export const presets = {
  /** reads and probes: fast, safe to repeat */
  quick: { startToCloseTimeout: '1m', retry } satisfies ActivityOptions,
  /** starts, stops, backups: heartbeat so a dead worker is noticed in seconds, not minutes */
  service: { startToCloseTimeout: '10m', heartbeatTimeout: '20s', retry } satisfies ActivityOptions,
  /** test suites and validations can take long; they heartbeat too */
  long: { startToCloseTimeout: '30m', heartbeatTimeout: '30s', retry: { ...retry, maximumAttempts: 1 } } satisfies ActivityOptions,
} as const;

export function act(preset: keyof typeof presets, summary?: string, startToCloseMs?: number) {
  const options: ActivityOptions = { ...presets[preset], summary };
  if (startToCloseMs) options.startToCloseTimeout = startToCloseMs + 60_000;
  return proxyActivities<Activities>(options);
}
