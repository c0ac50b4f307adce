/** Figures derived from two successive readings of a service's counters. Pure. */
export interface CounterReading {
  syntheticRequests: number;
  syntheticErrors: number;
  requests?: number;
  errors?: number;
}

/**
 * Error rate over the window since the last reading: the service's own counters when they moved
 * (they include real traffic and our synthetic requests), else our synthetic requests alone.
 * A counter that went backwards means the process restarted: the window starts from zero.
 */
export function windowErrorRate(prev: { requests: number; errors: number } | undefined, now: CounterReading): number | undefined {
  if (now.requests !== undefined && now.errors !== undefined) {
    const restarted = !prev || now.requests < prev.requests || now.errors < prev.errors;
    const requests = restarted ? now.requests : now.requests - prev!.requests;
    const errors = restarted ? now.errors : now.errors - prev!.errors;
    if (requests > 0) return errors / requests;
  }
  return now.syntheticRequests ? now.syntheticErrors / now.syntheticRequests : undefined;
}

export function cpuPct(prev: { seconds: number; offsetMs: number } | undefined, seconds: number | null, offsetMs: number): number | null {
  if (seconds === null || !prev || offsetMs <= prev.offsetMs || seconds < prev.seconds) return null;
  return Math.round(((seconds - prev.seconds) / ((offsetMs - prev.offsetMs) / 1000)) * 10_000) / 100;
}
