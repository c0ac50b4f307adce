/**
 * What a router does with traffic, as data every driver reads back the same way, so status,
 * details, reports and the undo's "restored exactly?" compare one shape. Pure.
 */
import type { TrafficDriverName } from './traffic-schema';

export type TrafficRole = 'v1' | 'v2';
/** a server's admin state where the router has one (HAProxy); other routers are always ready */
export type ServerAdmin = 'ready' | 'drain' | 'maint';

export interface RouterState {
  driver: TrafficDriverName;
  /** share of new requests in percent, from the router's own config or runtime state */
  weights: { v1: number; v2: number };
  servers?: { v1: ServerAdmin; v2: ServerAdmin };
  /** the raw restorable state: the include's or pointer's bytes, or the runtime weights and states */
  raw: string | null;
  /** what two states are compared on: equal fingerprints = the router does the same thing */
  fingerprint: string;
  readAt: string;
}

/** The roles a new request can reach. */
export function servingRoles(state: RouterState): TrafficRole[] {
  return (['v1', 'v2'] as const).filter((r) => state.weights[r] > 0 && (state.servers?.[r] ?? 'ready') === 'ready');
}

/** "V2 100%", "V1 90% · V2 10%", "nobody (the router answers 503)". */
export function describeTraffic(state: RouterState): string {
  const roles = servingRoles(state);
  if (!roles.length) return 'nobody (the router answers 503)';
  const total = roles.reduce((sum, r) => sum + state.weights[r], 0);
  return roles.map((r) => `${r.toUpperCase()} ${Math.round((state.weights[r] * 100) / total)}%`).join(' · ');
}

/** Percent weights for "all to role", "V2 gets w%". */
export const allTo = (role: TrafficRole) => (role === 'v1' ? { v1: 100, v2: 0 } : { v1: 0, v2: 100 });
export const v2Share = (w: number) => ({ v1: 100 - w, v2: w });

/** What a traffic step leaves for the status and reports: who serves, weights, verified how. */
export interface TrafficStep {
  label: string;
  state: RouterState;
  summary: string;
  /** answers through the router from the expected version, and how long it took */
  verified?: { answers: number; ms: number; seen: Partial<Record<TrafficRole, number>> };
}

/** The traffic part of a cutover's status: the strategy, each change to the router, the gaps. */
export interface TrafficView {
  strategy: 'cutover' | 'blueGreen' | 'canary';
  /** who serves now, as the router last read back */
  now?: string;
  /** `analysis`: a canary step's checks, V2 against V1 live (what each measured) */
  steps: { at: string; label: string; summary: string; verifiedMs?: number; answers?: number; analysis?: string }[];
  /** cutover strategy: from V1's stop to V2 verified through the router (the router answered 503 + Retry-After) */
  unservedMs?: number;
  /** blue-green: V1 kept warm (drained) until then; a rollback before is a switch back */
  bakeUntil?: string;
}

/** One status line: "V2 100% (cutover; 3 router changes; nobody served for 4.2 s)". */
export function trafficLine(t: TrafficView): string {
  const extra = [t.strategy, `${t.steps.length} router change${t.steps.length === 1 ? '' : 's'}`];
  if (t.unservedMs !== undefined)
    extra.push(`nobody served for ${(t.unservedMs / 1000).toFixed(1)} s, the ` + `router answered 503 + Retry-After`);
  if (t.bakeUntil) extra.push(`V1 warm until ${t.bakeUntil}`);
  return `${t.now ?? 'not switched yet'} (${extra.join('; ')})`;
}
