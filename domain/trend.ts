/**
 * Trends of a monitored figure (memory, or any number a check gives): drift from a reference
 * taken after a warm-up, and a steady climb measured before it crosses that band (a leak). Pure:
 * the monitoring workflow keeps the points in its state and asks these functions.
 */
import type { TrendSpec } from './check-schema';
import { parseDuration } from './duration';

export interface TrendPoint {
  offsetMs: number;
  value: number;
}

export interface TrendState {
  reference?: TrendPoint;
  /** the latest readings, oldest first (bounded) */
  points: TrendPoint[];
}

const POINTS_KEPT = 30;

/**
 * When the reference is taken: the plan's warm-up (default an hour, the seed's hour-1 memory),
 * but never after the first checkpoint of a plan shorter than that, so a short plan has one.
 */
export function effectiveWarmupMs(spec: Pick<TrendSpec, 'warmup'>, planDurationMs: number, firstCheckpointMs: number): number {
  const warmup = parseDuration(spec.warmup);
  return warmup < planDurationMs ? warmup : Math.min(warmup, firstCheckpointMs);
}

export function addPoint(state: TrendState, point: TrendPoint, warmupMs: number): TrendState {
  const points = [...state.points, point].slice(-POINTS_KEPT);
  const reference = state.reference ?? (point.offsetMs >= warmupMs ? point : undefined);
  return { reference, points };
}

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

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/** Why the trend is a problem, or nothing: drift from the reference, or a climb faster than allowed. */
export function trendProblems(spec: TrendSpec, state: TrendState): string[] {
  const problems: string[] = [];
  const last = state.points.at(-1);
  if (!last) return problems;
  if (spec.maxDrift !== undefined && state.reference && state.reference.value !== 0) {
    const drift = (last.value - state.reference.value) / Math.abs(state.reference.value);
    if (Math.abs(drift) > spec.maxDrift) {
      problems.push(`${fmt(last.value)} is ${(drift * 100).toFixed(1)}% from the reference ${fmt(state.reference.value)} taken at ${Math.round(state.reference.offsetMs / 60_000)} min (band ${(spec.maxDrift * 100).toFixed(0)}%)`);
    }
  }
  if (spec.maxRisePerHour !== undefined && state.points.length >= spec.minPoints) {
    const recent = state.points.slice(-Math.max(spec.minPoints, 10));
    const rises = recent.slice(1).filter((p, i) => p.value > recent[i].value).length;
    const slope = slopePerHour(recent);
    // Mostly rising (GC makes single steps noisy) and faster than allowed: a climb, not noise.
    if (slope > spec.maxRisePerHour && rises >= Math.ceil((recent.length - 1) * 0.75)) {
      problems.push(`climbing ${fmt(slope)}/h over the last ${recent.length} readings (${rises} of ${recent.length - 1} steps up; limit ${fmt(spec.maxRisePerHour)}/h)`);
    }
  }
  return problems;
}
