/**
 * The `http` provider: one request (or `samples` timed ones) to the target service, its body
 * parsed (json, text, or Prometheus exposition → {metric: sum}) and a value picked by JMESPath.
 * A status outside `expectStatus` is an answer, not "no data": rules see `result.status`, and
 * `result.statusOk` is false (the runner FAILs on it unless a rule speaks about the status).
 * Only "no answer at all" is inconclusive. Header values from env vars never leave the request.
 */
import { parseDuration } from '../../../domain/duration';
import type { HttpProviderSpec } from '../../../domain/check-schema';
import { errorText, httpRequest, joinUrl, type HttpAnswer } from '../../../infra/http-client';
import { heartbeat } from '../../heartbeat';
import { parsePrometheusText, sumMetric } from '../service-metrics';
import { CheckConfigError, fillTemplate, secretFromEnv, type Provider, type ProviderContext } from './provider';
import { jmespathProblem, jmespathSearch } from './jmespath';

export { jmespathProblem } from './jmespath';

/** Response headers rules may read; anything that could carry a credential is left out. */
const SECRET_HEADER = /cookie|auth|token|secret|key|session/i;
const round = (ms: number) => Math.round(ms * 100) / 100;

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function requestHeaders(spec: HttpProviderSpec, ctx: ProviderContext, jsonBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { ...spec.headers };
  for (const [name, envVar] of Object.entries(spec.headersFromEnv))
    headers[name] = secretFromEnv(ctx.env, envVar, `http header ${name}`);
  if (jsonBody && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  return headers;
}

/** {{ service }} etc. filled in every string of a JSON body (keys left as written). */
function templated(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return fillTemplate(value, vars);
  if (Array.isArray(value)) return value.map((v) => templated(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templated(v, vars)]));
  return value;
}

function statusOk(spec: HttpProviderSpec, status: number): boolean {
  if (spec.expectStatus === undefined) return status >= 200 && status <= 299;
  return (Array.isArray(spec.expectStatus) ? spec.expectStatus : [spec.expectStatus]).includes(status);
}

/** The body as the plan asked to read it; undefined = not readable that way (said in `why`). */
function parseBody(spec: HttpProviderSpec, answer: HttpAnswer): { value?: unknown; why?: string } {
  if (spec.parse === 'text') return { value: answer.text };
  if (spec.parse === 'prometheus') {
    const samples = parsePrometheusText(answer.text);
    const names = [...new Set(samples.map((s) => s.name))];
    if (!names.length)
      return { why: `no Prometheus samples in the answer (starts ${JSON.stringify(answer.text.slice(0, 80))})` };
    const value: Record<string, number | null> = Object.fromEntries(
      names.map((n) => [n, sumMetric(samples, n) ?? null]),
    );
    // Also each metric narrowed to one label value, keyed as a selector (`name{kind="user"}`), so an
    // extract can read the traffic series alone (requestsMetric / errorsMetric of the default checks).
    for (const { name, labels, value: v } of samples) {
      if (!Number.isFinite(v)) continue;
      for (const [label, text] of Object.entries(labels)) {
        const key = `${name}{${label}=${JSON.stringify(text)}}`;
        value[key] = (value[key] ?? 0) + v;
      }
    }
    return { value };
  }
  if (answer.text.trim() === '') return { value: null };
  if (answer.json === undefined)
    return { why: `the answer is not JSON (starts ` + `${JSON.stringify(answer.text.slice(0, 80))}): set parse: text` };
  return { value: answer.json };
}

function latencyFields(latencies: number[], samples: number, failed: number): Record<string, number> {
  if (samples === 1) return { ms: round(latencies[0]) };
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    samples,
    failed,
    avgMs: round(latencies.reduce((s, v) => s + v, 0) / latencies.length),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}

export const httpProvider: Provider<HttpProviderSpec> = async (spec, ctx) => {
  // Plan mistakes first, before any request: they are not the service's fault.
  const problem = spec.extract === undefined ? undefined : jmespathProblem(spec.extract);
  if (problem) throw new CheckConfigError(`http.extract "${spec.extract}": ${problem}`);
  const url = joinUrl(ctx.target.service.baseUrl, fillTemplate(spec.path, ctx.vars));
  const jsonBody = spec.body !== undefined && typeof spec.body !== 'string';
  const body =
    spec.body === undefined
      ? undefined
      : typeof spec.body === 'string'
        ? fillTemplate(spec.body, ctx.vars)
        : JSON.stringify(templated(spec.body, ctx.vars));
  const headers = requestHeaders(spec, ctx, jsonBody);
  const timeoutMs = parseDuration(spec.timeout);
  const what = `${spec.method} ${url}`;

  const latencies: number[] = [];
  let last: HttpAnswer | undefined;
  let failed = 0;
  let lastError = '';
  for (let i = 0; i < spec.samples; i++) {
    try {
      const answer = await httpRequest(url, { method: spec.method, headers, body, timeoutMs, signal: ctx.signal });
      latencies.push(answer.ms);
      if (!statusOk(spec, answer.status)) failed++;
      last = answer;
    } catch (err) {
      failed++;
      lastError = errorText(err);
      if (ctx.signal?.aborted) break;
    }
    if (spec.samples > 1) heartbeat({ check: 'http', sample: i + 1, of: spec.samples });
  }
  if (!last)
    return {
      ok: false,
      inconclusive:
        spec.samples > 1 ? `no answer to any of ${spec.samples} requests: ${lastError}` : `no answer: ${lastError}`,
    };

  const okStatus = statusOk(spec, last.status);
  const parsed = parseBody(spec, last);
  const fields: Record<string, unknown> = {
    status: last.status,
    statusOk: okStatus,
    ...latencyFields(latencies, spec.samples, failed),
    headers: Object.fromEntries(Object.entries(last.headers).filter(([name]) => !SECRET_HEADER.test(name))),
  };
  const timing =
    spec.samples > 1
      ? `${spec.samples} × ${what}: avg ${fields.avgMs} ms, p95 ` +
        `${fields.p95Ms} ms${failed ? `, ${failed} failed` : ''}`
      : `${what}: ${fields.ms} ms`;
  // A status the plan did not expect is a verdict for the rules, whatever the body says.
  if (!okStatus)
    return {
      ok: true,
      value: parsed.value ?? last.text.slice(0, 2000),
      fields,
      summary: `${timing}; answered ${last.status}, not an expected status`,
    };
  if (parsed.why) return { ok: false, inconclusive: `${what} answered ${last.status} but ${parsed.why}` };

  let value = parsed.value;
  if (spec.extract !== undefined) {
    try {
      value = jmespathSearch(parsed.value, spec.extract);
    } catch (err) {
      return {
        ok: false,
        inconclusive: `${what}: extract "${spec.extract}" failed on this answer: ${(err as Error).message}`,
      };
    }
    if (value === null || value === undefined)
      return { ok: false, inconclusive: `${what} answered ${last.status} but there is nothing at ${spec.extract}` };
  }
  const shown = JSON.stringify(value) ?? 'null';
  return {
    ok: true,
    value,
    fields,
    summary: `${timing}; ${last.status}; value ${shown.length > 80 ? `${shown.slice(0, 77)}…` : shown}`,
  };
};
