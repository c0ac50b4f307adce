/**
 * The light probe the monitoring loop runs every minute between full validations: health, a
 * few synthetic requests, and the service's own counters and memory/CPU from /metrics. Short
 * and frequent, so the workflow runs it as a local activity.
 */
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/service-schema';
import { probeHealth, describeProbe } from './services/health';
import { readServiceMetrics } from './checks/service-metrics';
import { reportedOutcome, runChecksAt } from './checks/run-checks';
import type { OutcomeBrief } from '../domain/validation-report';
import type { CheckOutcome } from '../domain/check-outcome';
import { httpStatus, joinUrl } from '../infra/http-client';

export interface SentinelReading {
  healthy: boolean;
  detail: string;
  syntheticRequests: number;
  syntheticErrors: number;
  /** the service's cumulative counters, when /metrics answered */
  requests?: number;
  errors?: number;
  memoryMb: number | null;
  cpuSeconds: number | null;
  /** the plan's `sentinel` checks */
  outcomes?: OutcomeBrief[];
}

/** `hosted`: the command checks' outcomes from their hosts' agents, run just before this probe. */
export async function sentinelProbe(
  loaded: LoadedPlan,
  role: ServiceRole,
  hosted?: CheckOutcome[],
): Promise<SentinelReading> {
  const spec = loaded.plan.services[role];
  const health = await probeHealth(spec);
  // Synthetic requests go only to a path the plan names (the default check list names /kpis, the demo contract's).
  const { sentinelPath } = loaded.plan.monitoring;
  const count = health.healthy && sentinelPath ? loaded.plan.monitoring.sentinelRequests : 0;
  // At once, not one after another: the probe runs 1,440 times a day, and as a local activity its
  // time is the workflow task's time. The requests are well-formed: any non-2xx (a 404 from a lost
  // base path included) means the probe did not get its answer, so it counts as an error.
  const url = joinUrl(spec.baseUrl, sentinelPath ?? '/');
  // Status only (node:http keep-alive): a third of fetch's CPU per request, 5 requests a minute.
  const answers = await Promise.all(
    Array.from({ length: count }, () =>
      httpStatus(url, { timeoutMs: 5_000 }).then((status) => status !== undefined && status >= 200 && status <= 299),
    ),
  );
  const syntheticErrors = answers.filter((ok) => !ok).length;
  const metrics = health.healthy ? await readServiceMetrics(loaded, role).catch(() => undefined) : undefined;
  const outcomes = (await runChecksAt(loaded, role, 'sentinel', { hosted })).map(reportedOutcome);
  return {
    outcomes,
    healthy: health.healthy,
    detail: describeProbe(health),
    syntheticRequests: count,
    syntheticErrors,
    requests: metrics?.requests,
    errors: metrics?.errors,
    memoryMb: metrics?.residentMemoryMb ?? null,
    cpuSeconds: metrics?.cpuSecondsTotal ?? null,
  };
}
