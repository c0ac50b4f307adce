/**
 * Trends of a monitored figure (memory, or any number a check gives): drift from a reference
 * taken after a warm-up, and a steady climb measured before it crosses that band (a leak). Pure:
 * the monitoring workflow keeps the points in its state and asks these functions.
 *
 * A healthy process grows as it starts (heap, JIT, caches), and single readings jump with its
 * garbage collector. So both rules look only at readings after the warm-up, need `minPoints` of
 * them, and ask for a change beyond the readings' own noise:
 * - noise: the robust spread (1.4826 × median absolute deviation) of the steps between successive
 *   readings, never taken below 0.5% of their median (a flat series has no spread at all);
 * - drift: the median of the latest `minPoints` readings against the reference, the median of the
 *   first `minPoints` after the warm-up; it must pass the band and 3 × the noise;
 * - climb: the Theil–Sen slope (median of the pairwise slopes, which one GC jump cannot move),
 *   whose 95% lower confidence bound (Sen's, from the order of the pairwise slopes) must be over
 *   `maxRisePerHour`, and whose rise over the readings must pass 3 × the noise and `minRise`.
 *
 * Between two collections a healthy heap ramps up for a minute or two and then gives it back: on
 * the demo's V2 under steady load such a ramp, read every 5 s, climbs at 400–700 MB/h with a step
 * noise under 1 MB and rises by up to 8.3% of the level before the collection (bench/trend.ts).
 * Its readings are one steady climb, so no spread or confidence bound can tell it from a leak in
 * that minute; its size can. So a climb must also rise by `minRise`, by default 10% of the
 * readings' median (a 1 MB/s leak on it passes that within half a minute).
 */
import type { TrendSpec } from './check-schema';
import { parseDuration } from './duration';

export interface TrendPoint {
  offsetMs: number;
  value: number;
}

export interface TrendState {
  /** the median of the first readings after the warm-up (at the offset of the last of them) */
  reference?: TrendPoint;
  /** the readings after the warm-up that make the reference, while it is being taken */
  referencePoints?: TrendPoint[];
  /** the latest readings, oldest first (bounded) */
  points: TrendPoint[];
  /** the warm-up the points were judged with (absent in states from before it was kept) */
  warmupMs?: number;
}

const POINTS_KEPT = 30;
/** one-sided 95% (z of a two-sided 90% interval) */
const Z = 1.645;
const NOISE_FLOOR = 0.005;
const SIGNIFICANT = 3;
/** the default `minRise`, a fraction of the readings' median: above a healthy collector's swing */
const MIN_RISE_OF_LEVEL = 0.1;

/**
 * When the warm-up ends: the plan's (default an hour, the seed's hour-1 memory); a plan shorter
 * than that waits for its first checkpoint, and at least a quarter of its length, so a start-up's
 * growth is never the reference of a short plan either.
 */
export function effectiveWarmupMs(
  spec: Pick<TrendSpec, 'warmup'>,
  planDurationMs: number,
  firstCheckpointMs: number,
): number {
  const warmup = parseDuration(spec.warmup);
  return warmup < planDurationMs ? warmup : Math.min(warmup, Math.max(firstCheckpointMs, planDurationMs / 4));
}

export function addPoint(state: TrendState, point: TrendPoint, warmupMs: number, minPoints = 3): TrendState {
  const points = [...state.points, point].slice(-POINTS_KEPT);
  if (state.reference || point.offsetMs < warmupMs) return { ...state, points, warmupMs };
  const referencePoints = [...(state.referencePoints ?? []), point];
  if (referencePoints.length < minPoints) return { ...state, points, referencePoints, warmupMs };
  return {
    points,
    warmupMs,
    reference: { offsetMs: point.offsetMs, value: median(referencePoints.map((p) => p.value)) },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Least-squares slope in units per hour over the points. */
export function slopePerHour(points: TrendPoint[]): number {
  if (points.length < 2) return 0;
  const xs = points.map((p) => p.offsetMs / 3_600_000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i] - mx) * (p.value - my);
    den += (xs[i] - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

export interface TheilSen {
  /** units per hour */
  slope: number;
  /** Sen's lower confidence bound of the slope (one-sided 95%) */
  lower: number;
  /** the readings' noise (noiseOf) */
  noise: number;
  /** slope × the span of the points */
  rise: number;
}

export function theilSen(points: TrendPoint[]): TheilSen | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = (points[j].offsetMs - points[i].offsetMs) / 3_600_000;
      if (dt > 0) slopes.push((points[j].value - points[i].value) / dt);
    }
  }
  if (!slopes.length) return undefined;
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  // Sen (1968): the bound is the order statistic (N − C) / 2 of the N pairwise slopes
  const c = Z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lower = slopes[Math.max(0, Math.round((slopes.length - c) / 2) - 1)];
  const hours = points.map((p) => p.offsetMs / 3_600_000);
  return { slope, lower, noise: noiseOf(points), rise: slope * (hours[n - 1] - hours[0]) };
}

/**
 * The readings' own noise: the robust spread of the steps between successive readings around
 * their median step (÷ √2, a step holds two readings' noise). A steady climb or one jump does
 * not count as noise, GC's ups and downs do. Never below 0.5% of the readings' median.
 */
export function noiseOf(points: TrendPoint[]): number {
  const floor = NOISE_FLOOR * Math.abs(median(points.map((p) => p.value)));
  if (points.length < 3) return floor;
  const steps = points.slice(1).map((p, i) => p.value - points[i].value);
  const typical = median(steps);
  return Math.max((1.4826 * median(steps.map((d) => Math.abs(d - typical)))) / Math.SQRT2, floor);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/** Why the trend is a problem, or nothing: drift from the reference, or a climb faster than allowed. */
export function trendProblems(spec: TrendSpec, state: TrendState): string[] {
  const problems: string[] = [];
  const after = state.points.filter((p) => p.offsetMs >= (state.warmupMs ?? 0));
  if (after.length < spec.minPoints) return problems;
  const fit = theilSen(after);
  const noise = fit?.noise ?? 0;
  const ref = state.reference;
  if (spec.maxDrift !== undefined && ref && ref.value !== 0) {
    const latest = after.filter((p) => p.offsetMs > ref.offsetMs).slice(-spec.minPoints);
    if (latest.length >= spec.minPoints) {
      const now = median(latest.map((p) => p.value));
      const drift = (now - ref.value) / Math.abs(ref.value);
      if (Math.abs(drift) > spec.maxDrift && Math.abs(now - ref.value) > SIGNIFICANT * noise) {
        problems.push(
          `${fmt(now)} (median of the last ${latest.length}) is ` +
            `${(drift * 100).toFixed(1)}% from the reference ` +
            `${fmt(ref.value)} taken at ${Math.round(ref.offsetMs / 60_000)} min ` +
            `(band ${(spec.maxDrift * 100).toFixed(0)}%, noise ${fmt(noise)})`,
        );
      }
    }
  }
  if (spec.maxRisePerHour !== undefined && fit && after.length >= Math.max(spec.minPoints, 5)) {
    const minRise = spec.minRise ?? MIN_RISE_OF_LEVEL * Math.abs(median(after.map((p) => p.value)));
    if (fit.lower > spec.maxRisePerHour && fit.rise > SIGNIFICANT * fit.noise && fit.rise > minRise) {
      problems.push(
        `climbing ${fmt(fit.slope)}/h over the last ${after.length} ` +
          `readings (at least ${fmt(fit.lower)}/h at 95% confidence; rise ${fmt(fit.rise)} against ` +
          `noise ${fmt(fit.noise)} and at least ${fmt(minRise)}; limit ${fmt(spec.maxRisePerHour)}/h)`,
      );
    }
  }
  return problems;
}
