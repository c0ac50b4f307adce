/** Turns a raw plan object into a Plan or into every problem it has, each with its path and a fix. */
import { z } from 'zod';
import { planSchema, type Plan } from './plan-schema';
import { crossFieldProblems, type PlanProblem } from './plan-rules';
import { DEFAULT_SENTINEL_PATH, expandChecks } from './default-checks';

export type PlanCheck = { ok: true; plan: Plan } | { ok: false; problems: PlanProblem[] };

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove it or fix its spelling`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `required: add it (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) return `${issue.message.replace(/^Invalid input: /, '')}: change it to ${issue.expected === 'array' ? 'a list, e.g. [a, b]' : `a ${issue.expected}`}`;
  return issue.message;
}

export function checkPlan(raw: unknown): PlanCheck {
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    // A union and its shared fields can both report a missing service: say it once per path.
    const problems = parsed.error.issues
      .map((issue) => ({ path: issue.path.map(String).join('.') || '(plan)', message: describe(issue) }))
      .filter((p, i, all) => all.findIndex((q) => q.path === p.path && (q.message === p.message || p.message.startsWith('required'))) === i);
    return { ok: false, problems };
  }
  const { checks, usesDefault } = expandChecks(parsed.data.checks, parsed.data);
  const monitoring = usesDefault ? { ...parsed.data.monitoring, sentinelPath: parsed.data.monitoring.sentinelPath ?? DEFAULT_SENTINEL_PATH } : parsed.data.monitoring;
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
