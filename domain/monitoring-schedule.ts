/**
 * The 24-hour monitoring timetable, computed from the plan: full validations on the cadence,
 * decision points, 4-hourly summaries, and a sentinel probe every minute between them. Pure:
 * the workflow asks "what is due next after t?" with offsets in ms from the monitoring start.
 */
import type { Plan } from './plan-schema';
import { parseDuration } from './duration';

export type DueKind = 'validation' | 'decision' | 'summary' | 'sentinel';
export interface DueEvent {
  at: number;
  kinds: DueKind[];
  /** index into plan.monitoring.decisionPoints when kinds has 'decision' */
  decision?: number;
}

export interface Timetable {
  durationMs: number;
  sentinelMs: number;
  validations: number[];
  summaries: number[];
  decisions: number[];
}

export function timetable(monitoring: Plan['monitoring']): Timetable {
  const durationMs = parseDuration(monitoring.duration);
  const validations: number[] = [];
  let from = 0;
  for (const window of monitoring.cadence) {
    const until = Math.min(parseDuration(window.until), durationMs);
    const every = parseDuration(window.every);
    // Each window continues the grid from where the last one stopped: 30m…8h, then 10h…24h.
    for (let t = from + every; t <= until; t += every) validations.push(t);
    from = Math.max(from, until);
  }
  const summaryMs = parseDuration(monitoring.summaryEvery);
  const summaries: number[] = [];
  for (let t = summaryMs; t <= durationMs; t += summaryMs) summaries.push(t);
  return {
    durationMs,
    sentinelMs: parseDuration(monitoring.sentinelEvery),
    validations,
    summaries,
    decisions: monitoring.decisionPoints.map((d) => parseDuration(d.at)),
  };
}

/**
 * The next moment strictly after `after` at which something is due, and everything due then.
 * `probeUntil` keeps the sentinel going past the end while a final sign-off is still open.
 */
export function nextDue(table: Timetable, after: number, probeUntil = table.durationMs): DueEvent | undefined {
  const nextSentinel = (Math.floor(after / table.sentinelMs) + 1) * table.sentinelMs;
  const candidates = [
    ...(nextSentinel <= Math.max(probeUntil, table.durationMs) ? [nextSentinel] : []),
    ...[...table.validations, ...table.summaries, ...table.decisions].filter((t) => t <= table.durationMs),
  ].filter((t) => t > after);
  if (!candidates.length) return undefined;
  const at = Math.min(...candidates);
  const kinds: DueKind[] = [];
  if (table.validations.includes(at)) kinds.push('validation');
  // A full validation includes everything the sentinel would look at.
  else if (at % table.sentinelMs === 0) kinds.push('sentinel');
  if (table.summaries.includes(at)) kinds.push('summary');
  const decision = table.decisions.indexOf(at);
  if (decision >= 0) kinds.push('decision');
  return { at, kinds, decision: decision >= 0 ? decision : undefined };
}

export const hourLabel = (ms: number) =>
  `Hour ${Number.isInteger(ms / 3_600_000) ? ms / 3_600_000 : (ms / 3_600_000).toFixed(2)}`;

/**
 * A checkpoint's report file name after the monitoring's id: its offset, exact and sorting in
 * time order (`checkpoint-01h00m00s`), whatever the cadence; a re-run of a failed one keeps both.
 */
export function checkpointReportName(offsetMs: number, rerun = false): string {
  const s = Math.round(offsetMs / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const at = `${two(Math.floor(s / 3600))}h${two(Math.floor((s % 3600) / 60))}m${two(s % 60)}s`;
  return `checkpoint-${at}${rerun ? '-rerun' : ''}`;
}

/** What a loop that fell behind still owes after an outage: no sentinel tick is replayed. */
export interface CatchUp {
  /** the last moment that came due in the interval: the loop carries on after it */
  lastAt: number;
  /** the latest missed full validation, run once (late) so no checkpoint row is lost */
  validationAt?: number;
  summaryAt?: number;
  /** every missed decision point, earliest first: each opens late and gets its whole window */
  decisions: { index: number; at: number }[];
  /** sentinel ticks nobody probed */
  skippedProbes: number;
}

/** Everything due in (after, until], collapsed: probes missed during an outage are not run in a burst. */
export function catchUp(table: Timetable, after: number, until: number, probeUntil = table.durationMs): CatchUp {
  const result: CatchUp = { lastAt: after, decisions: [], skippedProbes: 0 };
  for (let due = nextDue(table, after, probeUntil); due && due.at <= until; due = nextDue(table, due.at, probeUntil)) {
    result.lastAt = due.at;
    if (due.kinds.includes('validation')) result.validationAt = due.at;
    if (due.kinds.includes('sentinel')) result.skippedProbes++;
    if (due.kinds.includes('summary')) result.summaryAt = due.at;
    if (due.decision !== undefined) result.decisions.push({ index: due.decision, at: due.at });
  }
  return result;
}
