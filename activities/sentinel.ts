/**
 * The light probe the monitoring loop runs every minute between full validations: health, a
 * few synthetic requests, and the service's own counters and memory/CPU from /metrics. Short
 * and frequent, so the workflow runs it as a local activity.
 */
import http from 'node:http';
import https from 'node:https';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/plan-schema';
import { probeHealth, describeProbe } from './services/health';
import { readServiceMetrics } from './checks/service-metrics';
import { joinUrl } from '../infra/http-client';

// Keep-alive: a fresh connection per synthetic request cost more than the request itself.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** One synthetic GET: true for any answer below 500 (a 4xx is the service working), false for a 5xx or none. */
function syntheticGet(url: string): Promise<boolean> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve) => {
    const req = get(url, { agent: url.startsWith('https:') ? undefined : agent, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 500) < 500));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(false));
  });
}

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
}

export async function sentinelProbe(loaded: LoadedPlan, role: ServiceRole): Promise<SentinelReading> {
  const spec = loaded.plan.services[role];
  const health = await probeHealth(spec);
  const count = health.healthy ? loaded.plan.monitoring.sentinelRequests : 0;
  // At once, not one after another: the probe runs 1,440 times a day, and as a local activity its
  // time is the workflow task's time (the 24-hour plan under time skipping is mostly these).
  const answers = await Promise.all(Array.from({ length: count }, () => syntheticGet(joinUrl(spec.baseUrl, '/kpis'))));
  const syntheticErrors = answers.filter((ok) => !ok).length;
  const metrics = health.healthy ? await readServiceMetrics(loaded, role).catch(() => undefined) : undefined;
  return {
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
