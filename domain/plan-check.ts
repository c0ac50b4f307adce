/** Turns a raw plan object into a Plan or into every problem it has, each with its path and a fix. */
import { z } from 'zod';
import { planSchema, type Plan } from './plan-schema';
import { crossFieldProblems } from './plan-rules';
import type { PlanProblem } from './plan-problem';
import { DEFAULT_SENTINEL_PATH, expandChecks } from './default-checks';
import { knownKeysAt, nearestKey } from './known-keys';
import { unionIssues } from './union-issues';

export type PlanCheck = { ok: true; plan: Plan } | { ok: false; problems: PlanProblem[] };

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `required: add it (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input'))
    return (
      `` +
      issue.message.replace(/^Invalid input: /, '') +
      `: change it to ` +
      (issue.expected === 'array' ? 'a list, e.g. [a, b]' : `a ${issue.expected}`) +
      ``
    );
  return issue.message;
}

const quoted = (keys: string[]) => keys.map((k) => `\`${k}\``).join(', ');

/** One problem per unknown key, naming the key the plan most likely meant (or those it may hold there). */
function unknownKeyProblems(
  issue: z.core.$ZodIssue & { code: 'unrecognized_keys' },
  raw: unknown,
  path: string,
): PlanProblem[] {
  const known = knownKeysAt(planSchema, raw, issue.path) ?? [];
  return issue.keys.map((key) => {
    const near = nearestKey(key, known);
    const fix = near
      ? `did you mean \`${near}\`?`
      : known.length
        ? `remove it, or use one of ${quoted(known)}`
        : 'remove it';
    return { path, message: `unknown key "${key}": ${fix}`, key, near };
  });
}

export function checkPlan(raw: unknown): PlanCheck {
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const problems: (PlanProblem & { key?: string; near?: string })[] = unionIssues(parsed.error.issues).flatMap(
      (issue) => {
        const path = issue.path.map(String).join('.') || '(plan)';
        return issue.code === 'unrecognized_keys'
          ? unknownKeyProblems(issue, raw, path)
          : [{ path, message: describe(issue) }];
      },
    );
    // A required key spelt wrong is both missing and unknown: the missing one names the typo too.
    for (const p of problems) {
      const typo =
        p.message.startsWith('required') &&
        problems.find((q) => q.near !== undefined && `${q.path}.${q.near}` === p.path);
      if (typo) p.message = `required: the plan has "${typo.key}" beside it — did you mean \`${typo.near}\`?`;
    }
    // A union and its shared fields can both report a missing service: say it once per path.
    const unique = problems
      .map(({ path, message }) => ({ path, message }))
      .filter(
        (p, i, all) =>
          all.findIndex((q) => q.path === p.path && (q.message === p.message || p.message.startsWith('required'))) ===
          i,
      );
    return { ok: false, problems: unique };
  }
  const { checks, usesDefault } = expandChecks(parsed.data.checks, parsed.data);
  const monitoring = usesDefault
    ? { ...parsed.data.monitoring, sentinelPath: parsed.data.monitoring.sentinelPath ?? DEFAULT_SENTINEL_PATH }
    : parsed.data.monitoring;
  const plan: Plan = { ...parsed.data, checks, monitoring };
  const problems = crossFieldProblems(plan);
  return problems.length ? { ok: false, problems } : { ok: true, plan };
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(
    readonly source: string,
    readonly problems: PlanProblem[],
  ) {
    super(`plan ${source} is invalid:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
  }
}

export function parsePlanOrThrow(raw: unknown, source: string): Plan {
  const result = checkPlan(raw);
  if (!result.ok) throw new PlanError(source, result.problems);
  return result.plan;
}

export function planJsonSchema(): unknown {
  return z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' });
}
