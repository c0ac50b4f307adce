/**
 * The seed's rollback decision matrix as a function: samples in, an action out. Pure, so the
 * same rules are unit-tested and used by the monitoring workflow.
 */
import type { Plan } from './plan-schema';
import type { CheckStatus } from './validation-report';

export type Action = 'ok' | 'warn' | 'retry' | 'rollback' | 'escalate';

export interface Sample {
  /** fraction of failed requests over the probe window, undefined when nothing was measured */
  errorRate?: number;
  /** what the rate is over ("3 of 120 requests in 2.0 min"), said with it */
  errorRateBasis?: string;
  /** too few requests to call the rate: it may warn, never roll back */
  errorRateInconclusive?: boolean;
  healthy: boolean;
  validation?: CheckStatus;
  /** this is the re-run of a FAIL */
  retried?: boolean;
  memoryMb?: number | null;
  avgLatencyMs?: number;
  /** the plan's data checks, weighed (failureLimit, trends): what each asks for */
  checks?: { rollback: string[]; fail: string[]; warn: string[] };
}

export interface Verdict {
  action: Action;
  reasons: string[];
}

/**
 * What the samples ask of V2 now: keep it (ok, warn), re-run the check (retry), roll back, or
 * escalate to the leads.
 */
export function rollbackMatrix(
  sample: Sample,
  baseline: { hour1MemoryMb?: number },
  plan: Pick<Plan, 'thresholds' | 'monitoring'>,
): Verdict {
  const t = plan.thresholds;
  const reasons: string[] = [];
  const basis = sample.errorRateBasis ? ` (${sample.errorRateBasis})` : '';
  if (sample.errorRate !== undefined && sample.errorRate > t.errorRateRollback && !sample.errorRateInconclusive) {
    return {
      action: 'rollback',
      reasons: [
        `error rate ${(sample.errorRate * 100).toFixed(2)}% over ` +
          `${(t.errorRateRollback * 100).toFixed(0)}%: immediate rollback${basis}`,
      ],
    };
  }
  if (sample.checks?.rollback.length)
    return { action: 'rollback', reasons: sample.checks.rollback.map((r) => `${r}: immediate rollback`) };
  if (!sample.healthy || sample.validation === 'FAIL' || sample.checks?.fail.length) {
    const what = !sample.healthy
      ? 'service unhealthy'
      : sample.validation === 'FAIL'
        ? 'validation FAIL'
        : `check FAIL (${sample.checks!.fail.join('; ')})`;
    if (!sample.retried) return { action: 'retry', reasons: [`${what}: re-run once (may be transient)`] };
    return { action: plan.monitoring.onRepeatedFail, reasons: [`${what} twice in a row`] };
  }
  if (sample.errorRate !== undefined && sample.errorRate > t.errorRateWarn)
    reasons.push(
      `error rate ${(sample.errorRate * 100).toFixed(3)}% over ` + `${(t.errorRateWarn * 100).toFixed(1)}%${basis}`,
    );
  if (sample.memoryMb != null && baseline.hour1MemoryMb) {
    const drift = (sample.memoryMb - baseline.hour1MemoryMb) / baseline.hour1MemoryMb;
    if (Math.abs(drift) > t.memoryDrift)
      reasons.push(
        `memory ${sample.memoryMb} MB is ${(drift * 100).toFixed(1)}% ` +
          `from the hour-1 ${baseline.hour1MemoryMb} MB`,
      );
  }
  if (sample.avgLatencyMs !== undefined && sample.avgLatencyMs > t.latencyWarnMs)
    reasons.push(`average latency ${sample.avgLatencyMs.toFixed(0)} ms over ${t.latencyWarnMs} ms`);
  if (sample.validation === 'WARN') reasons.push('validation WARN');
  reasons.push(...(sample.checks?.warn ?? []));
  return { action: reasons.length ? 'warn' : 'ok', reasons };
}
