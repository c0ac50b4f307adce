import type { Plan } from './plan-schema';

/** A validated plan plus where its relative paths are anchored (the plan file's folder). */
export interface LoadedPlan {
  plan: Plan;
  workdir: string;
  source: string;
}
