/**
 * What the strategies share: which one a plan uses (histories from before `strategy` existed
 * are cutovers), and each router change recorded in the status, the UI details and the report.
 */
import type { TrafficStep, TrafficView } from '../domain/traffic-state';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { CutoverView } from '../domain/cutover-model';
import type { ApprovalGates } from './approval-gate';

export type Strategy = TrafficView['strategy'];
export const strategyOf = (loaded: LoadedPlan): Strategy => loaded.plan.strategy ?? 'cutover';

/** The view's traffic record (its steps filled in by the strategies), for plans with a router. */
export function trafficView(loaded: LoadedPlan): CutoverView['traffic'] {
  return loaded.plan.traffic ? { strategy: strategyOf(loaded), steps: [] } : undefined;
}

/** What a strategy body needs beyond the phase context (set by cutoverWorkflow). */
export interface StrategyHooks {
  traffic?: TrafficView;
  /** the cutover's approval gates, for canary steps that wait for an approval */
  gates?: ApprovalGates;
  autoApprove?: boolean;
  /** a new status message (and the UI details re-rendered) */
  say?: (message: string) => void;
  /** workflow time when V1's stop began (cutover strategy: the start of the unserved window) */
  v1StopAt?: number;
}

export function recordTraffic(hooks: StrategyHooks, step: TrafficStep | null | undefined, label?: string): void {
  if (!step || !hooks.traffic) return;
  hooks.traffic.now = step.summary;
  hooks.traffic.steps.push({
    at: new Date().toISOString(),
    label: label ?? step.label,
    summary: step.summary,
    verifiedMs: step.verified?.ms,
    answers: step.verified?.answers,
  });
}
