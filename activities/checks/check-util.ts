/** Plumbing the five checks share: URLs, one timed HTTP call, and "a thrown error is a FAIL". */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/plan-schema';
import type { CheckResult } from '../../domain/validation-report';
import { errorText, getJsonObject, httpRequest, joinUrl, type HttpAnswer } from '../../infra/http-client';

/** What a check may use besides the plan: V1's KPIs from the cutover's shadow run. */
export interface CheckContext {
  baseline?: Record<string, number>;
}

export type Check = (loaded: LoadedPlan, role: ServiceRole, ctx: CheckContext) => Promise<CheckResult>;

/** Joins keeping a base path like /api (see infra/http-client). */
export function serviceUrl(loaded: LoadedPlan, role: ServiceRole, pathAndQuery: string): string {
  return joinUrl(loaded.plan.services[role].baseUrl, pathAndQuery);
}

export type Answer = HttpAnswer;
export const request = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => httpRequest(url, init);
export { getJsonObject, errorText };

/** Wraps a check so an unexpected error (service down, bad JSON) is a FAIL that says why, not a throw. */
export function guarded(check: Check): Check {
  return async (loaded, role, ctx) => {
    try {
      return await check(loaded, role, ctx);
    } catch (err) {
      return { status: 'FAIL', metrics: {}, message: errorText(err) };
    }
  };
}
