/** Plumbing the five checks share: URLs, one timed HTTP call, and "a thrown error is a FAIL". */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/plan-schema';
import type { CheckResult } from '../../domain/validation-report';
import { cancellationSignal } from '../heartbeat';

/** What a check may use besides the plan: V1's KPIs from the cutover's shadow run. */
export interface CheckContext {
  baseline?: Record<string, number>;
}

export type Check = (loaded: LoadedPlan, role: ServiceRole, ctx: CheckContext) => Promise<CheckResult>;

const REQUEST_TIMEOUT_MS = 10_000;

/** Joins by string, not `new URL(path, base)`, which would drop a base path like /api. */
export function serviceUrl(loaded: LoadedPlan, role: ServiceRole, pathAndQuery: string): string {
  return loaded.plan.services[role].baseUrl.replace(/\/+$/, '') + pathAndQuery;
}

export interface Answer {
  status: number;
  /** parsed JSON, or undefined when the body is not JSON */
  json: unknown;
  text: string;
  ms: number;
}

/**
 * One request, timed from send to last byte; never throws for an HTTP status, only for no answer.
 * A GET that gets no answer is tried once more: a pooled keep-alive connection the server has
 * since closed fails with ECONNRESET, and that is not the service failing.
 */
export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  if ((init.method ?? 'GET') !== 'GET') return requestOnce(url, init);
  return requestOnce(url, init).catch(() => requestOnce(url, init));
}

async function requestOnce(url: string, init: RequestInit): Promise<Answer> {
  const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS), cancellationSignal()].filter((s): s is AbortSignal => !!s);
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, ms };
}

/** GET that must answer 2xx with a JSON object; anything else throws with the status and body. */
export async function getJsonObject(url: string): Promise<Record<string, unknown>> {
  const answer = await request(url);
  if (answer.status < 200 || answer.status > 299) throw new Error(`GET ${url} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (typeof answer.json !== 'object' || answer.json === null) throw new Error(`GET ${url} did not answer a JSON object`);
  return answer.json as Record<string, unknown>;
}

/** undici hides the useful part ("ECONNREFUSED") in err.cause. */
export function errorText(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return [e?.message ?? String(err), e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(': ');
}

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
