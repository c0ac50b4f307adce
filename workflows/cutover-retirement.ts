/**
 * The traffic side of a cutover's view and its end: blueGreen and canary keep V1 warm through the
 * phases and retire it (after the bake, for blueGreen) once Phase 5 has passed; a plain cutover
 * stopped V1 in Phase 3 and has nothing left to retire.
 */
import type { LoadedPlan } from '../domain/loaded-plan';
import type { CutoverView } from '../domain/cutover-model';
import type { PhaseContext } from './cutover-phases';
import { retireV1 } from './strategy-blue-green';
import { strategyOf } from './strategy-traffic';

/** The view's traffic record (its steps filled in by the strategies), for plans with a router. */
export function trafficView(loaded: LoadedPlan): CutoverView['traffic'] {
  return loaded.plan.traffic ? { strategy: strategyOf(loaded), steps: [] } : undefined;
}

/**
 * After Phase 5: the bake with V1 warm (blueGreen), then V1 stopped (blueGreen, canary). A dry run changed nothing to
 * retire.
 */
export async function retireAfterPhases(ctx: PhaseContext, dryRun: boolean): Promise<void> {
  if (!dryRun) await retireV1(ctx);
}
