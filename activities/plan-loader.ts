/**
 * Reads a plan (YAML or JSON) from a path, or takes it inline, and validates it. The worker's
 * `loadPlan` activity is also where the plan policy is decided (its result is recorded in
 * history, so replay stays deterministic): plan files only from CUTOVER_PLAN_DIR, inline plans
 * only when the worker allows them, autoApprove only when the plan allows it.
 */
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApplicationFailure } from '@temporalio/common';
import { checkPlan, PlanError } from '../domain/plan-check';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { PlanRef } from '../domain/cutover-model';
import { FailureType } from './failure-types';
import { confinementProblems, escapeReason } from './plan-paths';
import { checkListProblems } from './checks/check-lint';
import { CHECK_LINTS } from './checks/providers/lints';

function validated(
  raw: unknown,
  source: string,
  workdirOf: (planWorkdir: string) => string,
  shownAs = source,
): LoadedPlan {
  const result = checkPlan(raw);
  if (!result.ok) throw new PlanError(shownAs, result.problems);
  const workdir = workdirOf(result.plan.workdir ?? '.');
  const escapes = [...confinementProblems(result.plan, workdir), ...checkListProblems(result.plan, CHECK_LINTS)];
  if (escapes.length) throw new PlanError(shownAs, escapes);
  return { plan: result.plan, workdir, source };
}

/** Parses and validates; throws PlanError listing every problem. Used by the CLI as well. */
export async function readPlanFile(file: string): Promise<LoadedPlan> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new PlanError(file, [
      {
        path: '(file)',
        message: `cannot read ${absolute}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new PlanError(file, [{ path: '(file)', message: `not valid YAML/JSON: ${(err as Error).message}` }]);
  }
  return validated(raw, absolute, (w) => path.resolve(path.dirname(absolute), w), file);
}

export function loadInlinePlan(raw: unknown, workdir: string): LoadedPlan {
  return validated(raw, '(inline)', (w) => path.resolve(workdir, w));
}

export interface PlanPolicy {
  /** folders plan files are read from (CUTOVER_PLAN_DIR, path-delimiter separated); relative refs try each in order */
  planDirs: string[];
  /**
   * plans given inline in workflow input (CUTOVER_ALLOW_INLINE_PLANS=1): they run arbitrary commands, so off by default
   */
  allowInlinePlans: boolean;
}

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, FailureType.InvalidPlan);

/** The plan file a ref names, only if it lies inside one of the plan folders; never read otherwise. */
export function planFileFor(ref: string, planDirs: string[]): string {
  const candidates = path.isAbsolute(ref) ? [ref] : planDirs.map((dir) => path.resolve(dir, ref));
  const allowed = (file: string) => planDirs.some((dir) => !escapeReason(dir, file));
  // The first that exists decides (a symlink out of the folder is refused, not skipped).
  const file = candidates.find((f) => fs.existsSync(f)) ?? candidates.find(allowed);
  if (!file || !allowed(file)) {
    throw refuse(
      `plan path "${ref}" is outside the folders this worker reads ` +
        `plans from (CUTOVER_PLAN_DIR): ${planDirs.join(', ')}. ` +
        ('Put the plan file in one of them (and pass its path), or add ' +
          'its folder to CUTOVER_PLAN_DIR when starting the worker.'),
    );
  }
  return file;
}

/** The activity: a bad or refused plan is a config error that no retry fixes. */
export function createPlanActivities(policy: PlanPolicy) {
  const planDirs = policy.planDirs.map((d) => path.resolve(d));
  return {
    async loadPlan(ref: PlanRef, opts: { autoApprove?: boolean } = {}): Promise<LoadedPlan> {
      let loaded: LoadedPlan;
      try {
        if (typeof ref === 'string' && ref.trim()) loaded = await readPlanFile(planFileFor(ref, planDirs));
        else if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
          if (!policy.allowInlinePlans) {
            throw refuse(
              `plan: inline plans in workflow input are off on this worker ` +
                `(an inline plan runs its commands on the worker's host). ` +
                (`Give the path of a plan file inside ${planDirs.join(', ')}, or ` +
                  `start the worker with CUTOVER_ALLOW_INLINE_PLANS=1.`),
            );
          }
          loaded = loadInlinePlan(ref, planDirs[0]);
        } else
          throw refuse(
            `plan: give the path of a plan file inside ` + `${planDirs.join(', ')} (the input's "plan" field)`,
          );
      } catch (err) {
        if (err instanceof PlanError) throw refuse(err.message);
        throw err;
      }
      if (opts.autoApprove && !loaded.plan.approvals.allowAutoApprove) {
        throw refuse(
          `autoApprove: plan "${loaded.plan.name}" does not allow skipping the GO/NO-GO gate. ` +
            ('Start without auto-approve, or (rehearsals and demos only) set ' +
              'approvals.allowAutoApprove: true in the plan.'),
        );
      }
      return loaded;
    },
  };
}
