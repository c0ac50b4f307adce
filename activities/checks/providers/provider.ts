/**
 * The one interface every check provider implements (http, prometheus, sql, command). A
 * provider only fetches: it returns the raw value the check's rules read as `result`, or says
 * plainly that it could not tell (inconclusive). Rules, compare mode, trends and the report are
 * the runner's (activities/checks/run-checks.ts), so a provider stays small.
 */
import type { LoadedPlan } from '../../../domain/loaded-plan';
import type { ServiceRole, ServiceSpec } from '../../../domain/service-schema';

export interface ProviderTarget {
  role: ServiceRole;
  /** the service as the plan describes it: name, baseUrl… */
  service: ServiceSpec;
}

export interface ProviderContext {
  loaded: LoadedPlan;
  target: ProviderTarget;
  /** the template variables: {{ service }}, {{ version }}, {{ window }}, {{ baseUrl }} (the target's) */
  vars: { service: string; version: ServiceRole; window: string; baseUrl: string };
  /** the worker's environment, where plans name their secrets */
  env: NodeJS.ProcessEnv;
  /** the activity's cancellation (or undefined outside an activity) */
  signal?: AbortSignal;
}

export type ProviderAnswer =
  /** `value` is what rules see as `result.value`; `fields` are merged into `result` beside it (status, latency…) */
  | { ok: true; value: unknown; fields?: Record<string, unknown>; summary: string }
  /** no data, unreachable, a timeout: the plan decides (inconclusive: warn | fail | retry) */
  | { ok: false; inconclusive: string };

export type Provider<Spec> = (spec: Spec, ctx: ProviderContext) => Promise<ProviderAnswer>;

/**
 * A mistake in the plan or the worker's env that no retry fixes (a missing env var, an unknown database): a FAIL naming
 * the fix.
 */
export class CheckConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckConfigError';
  }
}

/** {{ name }} → value; an unknown variable is a config error, not an empty string. */
export function fillTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    if (!(name in vars))
      throw new CheckConfigError(
        `unknown template variable {{ ${name} }}: use ${Object.keys(vars)
          .map((v) => `{{ ${v} }}`)
          .join(', ')}`,
      );
    return vars[name];
  });
}

/** Reads a secret the plan names by env var; missing → a config error saying which variable to set. */
export function secretFromEnv(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new CheckConfigError(
      `${what}: environment variable ${name} is not set on the ` + `worker: export ${name}=… before starting it`,
    );
  return value;
}
