/**
 * The time voters have for a decision (the GO/NO-GO gate, a canary approval, a monitoring
 * decision point), and the one rule that gives them back an outage: votes arrive by update or
 * signal, both need a worker, so time in which no worker ran does not count against the window.
 * Pure; offsets are from any origin the caller keeps (the gate: its opening; the monitoring: its start).
 */
import { formatSpan } from './duration';

export interface VotingWindow {
  /** when the voters were told: the window counts from here */
  openedOffsetMs: number;
  /** when the default applies: the opening plus the window plus any outage given back */
  deadlineOffsetMs: number;
  /** the plan's timeout (absent in monitoring states recorded before it was kept) */
  windowMs?: number;
  /** time given back for outages */
  extendedMs?: number;
}

export const openWindow = (openedOffsetMs: number, windowMs: number): VotingWindow => ({
  openedOffsetMs,
  deadlineOffsetMs: openedOffsetMs + windowMs,
  windowMs,
});

/**
 * A timer that fired late means the worker (or the server) was gone. `aliveOffsetMs` is the
 * last moment the workflow was seen running: the worker may have died any time after it, so the
 * whole interval to `nowOffsetMs` is given back (at most one timer interval more than the outage
 * itself), never time before the window opened. Returns the time given back.
 */
export function creditOutage(window: VotingWindow, aliveOffsetMs: number, nowOffsetMs: number): number {
  const extra = nowOffsetMs - Math.max(aliveOffsetMs, window.openedOffsetMs);
  if (extra <= 0) return 0;
  window.deadlineOffsetMs += extra;
  window.extendedMs = (window.extendedMs ?? 0) + extra;
  return extra;
}

/** "default after 30 min (+4 min given back for an outage), no vote": never "the leads decided". */
export function defaultNote(window: VotingWindow, windowMs = window.windowMs ?? 0): string {
  const given = window.extendedMs ? ` (+${formatSpan(window.extendedMs)} given back for an outage)` : '';
  return `default after ${formatSpan(windowMs)}${given}, no vote`;
}
