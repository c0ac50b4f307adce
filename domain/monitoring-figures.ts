/** Figures derived from two successive readings of a service's counters. Pure. */
export interface CounterReading {
  syntheticRequests: number;
  syntheticErrors: number;
  requests?: number;
  errors?: number;
}

/**
 * Requests and errors since the last reading: the service's own counters when they moved (they
 * hold user traffic and our synthetic requests), else our synthetic requests alone. A counter
 * that went backwards means the process restarted: the window starts from zero.
 */
export function probeCounts(
  prev: { requests: number; errors: number } | undefined,
  now: CounterReading,
): { requests: number; errors: number } | undefined {
  if (now.requests !== undefined && now.errors !== undefined) {
    const restarted = !prev || now.requests < prev.requests || now.errors < prev.errors;
    const requests = restarted ? now.requests : now.requests - prev!.requests;
    const errors = restarted ? now.errors : now.errors - prev!.errors;
    if (requests > 0) return { requests, errors };
  }
  return now.syntheticRequests ? { requests: now.syntheticRequests, errors: now.syntheticErrors } : undefined;
}

/** Error rate over the window since the last reading (see probeCounts). */
export function windowErrorRate(
  prev: { requests: number; errors: number } | undefined,
  now: CounterReading,
): number | undefined {
  const counts = probeCounts(prev, now);
  return counts ? counts.errors / counts.requests : undefined;
}

/** One reading's requests and errors, and the span they cover (since the reading before). */
export interface CountedWindow {
  offsetMs: number;
  sinceMs: number;
  requests: number;
  errors: number;
}
/** Readings kept for the error rate: 10 minutes at a 5 s sentinel; a faster one reaches back less far. */
export const COUNTED_KEPT = 120;

export interface ErrorRateJudgement {
  /** errors over requests, over the readings the verdict rests on */
  rate: number;
  requests: number;
  errors: number;
  spanMs: number;
  /** "3 of 120 requests in 2.0 min" */
  basis: string;
  /** too few requests to call the rate: it may WARN, never PASS nor roll back */
  inconclusive?: string;
}

/** z of a one-sided 99.95% bound: an outage this certain rolls back before the minimum count is in. */
const CERTAIN_Z = 3.29;
/** Wilson score lower bound of a proportion: below it the true rate is very unlikely. */
export function wilsonLower(errors: number, requests: number, z = CERTAIN_Z): number {
  if (requests === 0) return 0;
  const p = errors / requests;
  const z2 = z * z;
  return (
    (p + z2 / (2 * requests) - z * Math.sqrt((p * (1 - p)) / requests + z2 / (4 * requests * requests))) /
    (1 + z2 / requests)
  );
}

const spanText = (ms: number) => (ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

/**
 * The error rate the monitoring acts on, over user requests only (the plan's selectors leave out
 * health checks, scrapes and admin calls). Newest readings first, the window grows until it holds
 * `minRequests` requests; a rate over the rollback threshold on that many (or, with 2 errors or
 * more, one whose Wilson lower bound is already over it: an outage) decides. With fewer requests
 * in the whole window the rate is inconclusive: it is shown with its count, never a PASS.
 */
export function judgeErrorRate(
  windows: CountedWindow[],
  nowMs: number,
  t: { errorRateRollback: number; errorRateMinRequests: number; errorRateWindowMs: number },
): ErrorRateJudgement | undefined {
  const recent = windows.filter((w) => w.offsetMs > nowMs - t.errorRateWindowMs);
  let requests = 0;
  let errors = 0;
  const judged = (from: CountedWindow, inconclusive?: string): ErrorRateJudgement => {
    const spanMs = nowMs - from.sinceMs;
    return {
      rate: errors / requests,
      requests,
      errors,
      spanMs,
      basis: `${errors} of ${requests} requests in ${spanText(spanMs)}`,
      inconclusive,
    };
  };
  for (let i = recent.length - 1; i >= 0; i--) {
    requests += recent[i].requests;
    errors += recent[i].errors;
    if (!requests) continue;
    const enough = requests >= t.errorRateMinRequests && errors / requests > t.errorRateRollback;
    const certain = errors >= 2 && wilsonLower(errors, requests) > t.errorRateRollback;
    if (enough || certain) return judged(recent[i]);
  }
  if (!requests) return undefined;
  const few =
    requests < t.errorRateMinRequests
      ? `inconclusive: ${requests} requests in ` +
        `${spanText(nowMs - recent[0].sinceMs)} (a rate needs ${t.errorRateMinRequests})`
      : undefined;
  return judged(recent[0], few);
}

export function cpuPct(
  prev: { seconds: number; offsetMs: number } | undefined,
  seconds: number | null,
  offsetMs: number,
): number | null {
  if (seconds === null || !prev || offsetMs <= prev.offsetMs || seconds < prev.seconds) return null;
  return Math.round(((seconds - prev.seconds) / ((offsetMs - prev.offsetMs) / 1000)) * 10_000) / 100;
}
