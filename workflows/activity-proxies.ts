/**
 * Activity proxies with their timeout and retry presets named once. Workflows import the
 * activity *types* only; each call may carry a UI summary ("Stop V1 (abaco-v1)").
 */
import {
  ActivityCancellationType,
  proxyActivities,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE } from '../domain/non-retryable';

const retry: RetryPolicy = {
  maximumAttempts: 3,
  initialInterval: '1s',
  backoffCoefficient: 2,
  nonRetryableErrorTypes: NON_RETRYABLE,
};

export const presets = {
  /**
   * reads, probes, the traffic switch: fast (milliseconds) and safe to repeat. They do not
   * heartbeat, so their start-to-close limit is what a lost worker costs: 20 s, not a minute.
   */
  quick: { startToCloseTimeout: '20s', retry } satisfies ActivityOptions,
  /**
   * router changes: a reload waits for nginx's old workers (up to 10 s), then the probes through
   * the router (traffic.verify.timeout, 15 s by default) — more than `quick` allows. They
   * heartbeat every ~2 s, so a lost worker still costs seconds.
   */
  router: { startToCloseTimeout: '2m', heartbeatTimeout: '10s', retry } satisfies ActivityOptions,
  /**
   * starts, stops, backups, restores: they heartbeat every ~2 s, so a dead worker is noticed in
   * about 6 s and the step retried on another (a rollback with a lost worker costs seconds). An
   * abort waits for the step to settle: a rollback must not start V1 while its stop still runs.
   */
  service: {
    startToCloseTimeout: '10m',
    heartbeatTimeout: '6s',
    retry,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  } satisfies ActivityOptions,
  /**
   * the test suite: a suite that ran and failed is final (TestSuiteFailed is non-retryable: a
   * second run of a red suite proves nothing), but a run whose worker was lost is retried on
   * another — it heartbeats every ~2 s, so a lost worker is noticed in 10 s.
   */
  long: { startToCloseTimeout: '30m', heartbeatTimeout: '10s', retry } satisfies ActivityOptions,
  /** validations only read: retried, so a worker restart mid-check costs a retry, not a rollback */
  validation: { startToCloseTimeout: '10m', heartbeatTimeout: '30s', retry } satisfies ActivityOptions,
} as const;

export function act(preset: keyof typeof presets, summary?: string, startToCloseMs?: number) {
  const options: ActivityOptions = { ...presets[preset], summary };
  if (startToCloseMs) options.startToCloseTimeout = startToCloseMs + 60_000;
  return proxyActivities<Activities>(options);
}
