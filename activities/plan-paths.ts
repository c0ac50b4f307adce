/**
 * Every data path the worker reads or writes for a plan goes through `insideWorkdir`: it must
 * resolve inside the plan's workdir, also after following symlinks, or the activity fails
 * non-retryably naming the plan field and the fix. The loader runs the same check over every
 * data path up front, so a bad plan is refused before anything runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { Plan } from '../domain/plan-schema';
import { dataPaths } from '../domain/data-paths';
import type { PlanProblem } from '../domain/plan-problem';
import { FailureType } from './failure-types';

const within = (root: string, target: string) => {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
};

/** The real path of the deepest part of `target` that exists, plus the rest as written. */
function realish(target: string): string {
  let existing = target;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) return target;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...rest);
}

/** Why `value` (a plan field) is not inside `workdir`, or undefined when it is. */
export function escapeReason(workdir: string, value: string): string | undefined {
  const root = path.resolve(workdir);
  const target = path.resolve(root, value);
  if (!within(root, target)) return `${target} is outside the plan's workdir ${root}`;
  if (!within(realish(root), realish(target)))
    return `${target} leads outside the plan's workdir ${root} through a symlink`;
  return undefined;
}

export function confinementProblems(plan: Plan, workdir: string): PlanProblem[] {
  return dataPaths(plan).flatMap(({ field, value }) => {
    const why = escapeReason(workdir, value);
    return why
      ? [
          {
            path: field,
            message: `${why}: use a path inside workdir (data the worker writes or ` + `deletes stays there)`,
          },
        ]
      : [];
  });
}

/** The absolute path of a plan data path, or a non-retryable refusal naming the field. */
export function insideWorkdir(loaded: LoadedPlan, relOrAbs: string, field: string): string {
  const why = escapeReason(loaded.workdir, relOrAbs);
  if (why) {
    throw ApplicationFailure.nonRetryable(
      `${field}: ${why}: change ${field} in plan "` + `${loaded.plan.name}" to a path inside its workdir`,
      FailureType.InvalidPlan,
    );
  }
  return path.resolve(loaded.workdir, relOrAbs);
}

/** A file name made from outside input (a workflow id) resolved inside `dir`, never beside or above it. */
export function fileInside(dir: string, name: string): string {
  const file = path.resolve(dir, name);
  if (path.dirname(file) !== path.resolve(dir))
    throw ApplicationFailure.nonRetryable(`file name "${name}" would leave ${dir}`, FailureType.InvalidPlan);
  return file;
}
