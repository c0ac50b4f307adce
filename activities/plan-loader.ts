/** Reads a plan (YAML or JSON) from a path, or takes it inline, and validates it. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApplicationFailure } from '@temporalio/common';
import { checkPlan, PlanError } from '../domain/plan-check';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { PlanRef } from '../domain/cutover-model';
import { FailureType } from './failure-types';

/** Parses and validates; throws PlanError listing every problem. Used by the CLI as well. */
export async function readPlanFile(file: string): Promise<LoadedPlan> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new PlanError(file, [{ path: '(file)', message: `cannot read ${absolute}: ${(err as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new PlanError(file, [{ path: '(file)', message: `not valid YAML/JSON: ${(err as Error).message}` }]);
  }
  const result = checkPlan(raw);
  if (!result.ok) throw new PlanError(file, result.problems);
  return { plan: result.plan, workdir: path.resolve(path.dirname(absolute), result.plan.workdir ?? '.'), source: absolute };
}

export function loadInlinePlan(raw: unknown, workdir: string): LoadedPlan {
  const result = checkPlan(raw);
  if (!result.ok) throw new PlanError('(inline)', result.problems);
  return { plan: result.plan, workdir: path.resolve(workdir, result.plan.workdir ?? '.'), source: '(inline)' };
}

/** The activity: a bad plan is a config error that no retry fixes. */
export function createPlanActivities(baseDir: string) {
  return {
    async loadPlan(ref: PlanRef): Promise<LoadedPlan> {
      try {
        if (typeof ref === 'string') return await readPlanFile(path.resolve(baseDir, ref));
        return loadInlinePlan(ref, baseDir);
      } catch (err) {
        if (err instanceof PlanError) throw ApplicationFailure.nonRetryable(err.message, FailureType.InvalidPlan);
        throw err;
      }
    },
  };
}
