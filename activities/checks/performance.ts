/**
 * performance: thresholds.latencySamples sequential GET /kpis, timed end to end from here.
 * Sequential on purpose: this measures what one client sees, not how much load the service
 * takes (that would disturb production while it is being validated). The verdict is on the
 * average, as the runbook's targets are ("avg latency < 100 ms", "< 50 ms excellent").
 */
import { heartbeat } from '../heartbeat';
import { guarded, request, serviceUrl, type Check } from './check-util';

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export const checkPerformance: Check = guarded(async (loaded, role) => {
  const { latencySamples, latencyWarnMs, latencyExcellentMs } = loaded.plan.thresholds;
  const { latencyFailMs } = loaded.plan.validation;
  const url = serviceUrl(loaded, role, '/kpis');
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  for (let i = 0; i < latencySamples; i++) {
    const answer = await request(url);
    latencies.push(answer.ms);
    if (answer.status < 200 || answer.status > 299) failed++;
    // A slow service times the activity out on heartbeats, not on a silent loop.
    heartbeat({ check: 'performance', sample: i + 1, of: latencySamples });
  }
  const wallSec = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const avg = latencies.reduce((s, v) => s + v, 0) / latencies.length;
  const metrics = {
    samples: latencies.length,
    failedRequests: failed,
    avgMs: round(avg),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted[sorted.length - 1]),
    throughputRps: round(latencies.length / wallSec),
    thresholds: { excellentMs: latencyExcellentMs, warnMs: latencyWarnMs, failMs: latencyFailMs },
  };
  const figures = `avg ${metrics.avgMs} ms, p95 ${metrics.p95Ms} ms over ${latencies.length} requests`;
  // Failed requests are error_handling's business; here they only mean the figures are suspect.
  const failedNote = failed ? `; ${failed} of ${latencies.length} requests failed` : '';

  if (avg > latencyFailMs) return { status: 'FAIL', metrics, message: `${figures}: over the ${latencyFailMs} ms limit${failedNote}` };
  if (avg > latencyWarnMs) return { status: 'WARN', metrics, message: `${figures}: over the ${latencyWarnMs} ms target${failedNote}` };
  if (failed) return { status: 'WARN', metrics, message: `${figures}${failedNote}` };
  const grade = avg < latencyExcellentMs ? `excellent (under ${latencyExcellentMs} ms)` : `under the ${latencyWarnMs} ms target`;
  return { status: 'PASS', metrics, message: `${figures}: ${grade}` };
});
