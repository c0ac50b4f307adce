/** Health probing over the service's HTTP contract (GET baseUrl + healthPath, 2xx = healthy). */
import { ApplicationFailure } from '@temporalio/common';
import type { ServiceSpec } from '../../domain/service-schema';
import { FailureType } from '../failure-types';
import { heartbeat } from '../heartbeat';
import { httpRequest, joinUrl } from '../../infra/http-client';

export type HealthTarget = Pick<ServiceSpec, 'name' | 'baseUrl'> & { healthPath?: string };

export interface ProbeResult {
  healthy: boolean;
  status?: number;
  body?: unknown;
  error?: string;
}

const PROBE_TIMEOUT_MS = 2_000;
const POLL_MS = 200;

/** Joins by string, not `new URL(path, base)`, which would drop a base path like /api. */
export function healthUrl(spec: HealthTarget): string {
  return joinUrl(spec.baseUrl, spec.healthPath ?? '/health');
}

export async function probeHealth(spec: HealthTarget): Promise<ProbeResult> {
  try {
    // A probe is one attempt: the caller polls, and a retry would hide how often it fails.
    const answer = await httpRequest(healthUrl(spec), { timeoutMs: PROBE_TIMEOUT_MS, retries: 0 });
    const body = answer.json !== undefined ? answer.json : answer.text.slice(0, 500);
    return { healthy: answer.status >= 200 && answer.status < 300, status: answer.status, body };
  } catch (err) {
    return { healthy: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function describeProbe(p: ProbeResult): string {
  if (p.error) return p.error;
  const body = typeof p.body === 'string' ? p.body : JSON.stringify(p.body);
  return `HTTP ${p.status}${body ? ` ${body.slice(0, 300)}` : ''}`;
}

/**
 * Polls until healthy or timeoutMs passes, heartbeating each tick. `onTick` lets the caller
 * fail fast (e.g. throw when the driver says the process died). The timeout failure is
 * retryable: whether to restart and wait again is the workflow's retry policy's call.
 */
export async function waitHealthy(
  spec: HealthTarget,
  timeoutMs: number,
  onTick?: (probe: ProbeResult, elapsedMs: number) => void | Promise<void>,
): Promise<ProbeResult> {
  const started = Date.now();
  for (;;) {
    const probe = await probeHealth(spec);
    if (probe.healthy) return probe;
    const elapsedMs = Date.now() - started;
    heartbeat({ service: spec.name, elapsedMs, last: describeProbe(probe) });
    await onTick?.(probe, elapsedMs);
    if (elapsedMs >= timeoutMs) {
      throw ApplicationFailure.create({
        message:
          `${spec.name} not healthy at ${healthUrl(spec)} after ` +
          `${timeoutMs} ms; last probe: ${describeProbe(probe)}`,
        type: FailureType.ServiceUnhealthy,
        details: [probe],
      });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
