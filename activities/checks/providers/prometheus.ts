/**
 * The `prometheus` provider: one PromQL query against the plan's Prometheus, instant
 * (/api/v1/query) or, with `step`, a range over `window` (/api/v1/query_range). Templated per
 * target ({{ service }}, {{ version }}, {{ window }}), so error rates and latencies come from
 * real traffic over a window, not from a process's lifetime counters.
 */
import type { PrometheusProviderSpec } from '../../../domain/check-schema';
import { parseDuration } from '../../../domain/duration';
import { errorText, httpRequest, joinUrl } from '../../../infra/http-client';
import {
  CheckConfigError,
  fillTemplate,
  secretFromEnv,
  type Provider,
  type ProviderAnswer,
  type ProviderContext,
} from './provider';

interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}
interface PromAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

export const prometheusProvider: Provider<PrometheusProviderSpec> = async (spec, ctx) => {
  const server = ctx.loaded.plan.prometheus;
  if (!server)
    throw new CheckConfigError(
      "a prometheus check needs the plan's top-level `prometheus:` " + '(address: http://HOST:9090)',
    );
  const query = fillTemplate(spec.query, { ...ctx.vars, window: promDuration(ctx.vars.window) });
  const params = new URLSearchParams({ query });
  let path = '/api/v1/query';
  if (spec.step) {
    const end = Date.now() / 1000;
    const stepSec = parseDuration(spec.step) / 1000;
    params.set('start', String(end - parseDuration(spec.window) / 1000));
    params.set('end', String(end));
    params.set('step', String(stepSec));
    path = '/api/v1/query_range';
  }
  const url = joinUrl(server.address, path);
  const auth = authHeaders(ctx); // a missing secret is a config error, not "did not answer"
  let answer;
  try {
    answer = await httpRequest(url, {
      method: 'POST', // long queries do not fit a URL; Prometheus takes the form body alike
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth },
      body: params.toString(),
      timeoutMs: parseDuration(server.timeout),
      retries: 1, // a query only reads: safe to send again
      signal: ctx.signal,
    });
  } catch (err) {
    return { ok: false, inconclusive: `Prometheus at ${server.address} did not answer: ${errorText(err)}` };
  }
  const body = answer.json as PromAnswer | undefined;
  if (answer.status === 401 || answer.status === 403) {
    throw new CheckConfigError(
      `Prometheus at ${server.address} refused the credentials (` +
        `${answer.status}): check prometheus.bearerTokenEnv or usernameEnv/passwordEnv`,
    );
  }
  if (body?.status === 'error') {
    // bad_data is the query's fault (PromQL syntax, a bad range); anything else is the server's
    if (body.errorType === 'bad_data')
      throw new CheckConfigError(`PromQL rejected by Prometheus: ${body.error} — query: ${query}`);
    return { ok: false, inconclusive: `Prometheus could not run ${query}: ${body.errorType}: ${body.error}` };
  }
  if (answer.status !== 200 || body?.status !== 'success' || !body.data) {
    return {
      ok: false,
      inconclusive: `Prometheus answered ${answer.status} to ${query}: ${answer.text.slice(0, 200)}`,
    };
  }
  return readResult(query, body.data.resultType ?? '', body.data.result);
};

/** A plan duration PromQL cannot read ("1.5h") becomes one it can ("5400s"); "5m" stays "5m". */
function promDuration(window: string): string {
  if (/^(\d+(ms|s|m|h|d|w|y))+$/.test(window)) return window;
  const ms = parseDuration(window);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function authHeaders(ctx: ProviderContext): Record<string, string> {
  const server = ctx.loaded.plan.prometheus;
  if (server?.bearerTokenEnv)
    return { authorization: `Bearer ${secretFromEnv(ctx.env, server.bearerTokenEnv, 'prometheus.bearerTokenEnv')}` };
  if (server?.usernameEnv || server?.passwordEnv) {
    if (!server.usernameEnv || !server.passwordEnv)
      throw new CheckConfigError('prometheus: basic auth needs both usernameEnv and passwordEnv');
    const user = secretFromEnv(ctx.env, server.usernameEnv, 'prometheus.usernameEnv');
    const password = secretFromEnv(ctx.env, server.passwordEnv, 'prometheus.passwordEnv');
    return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  }
  return {};
}

/** "label=value,…" over the series' labels, sorted, the metric name first: a stable map key. */
function seriesKey(metric: Record<string, string>): string {
  const names = Object.keys(metric).sort((a, b) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a.localeCompare(b)));
  return names.map((n) => `${n}=${metric[n]}`).join(',') || '{}';
}

function readResult(query: string, type: string, result: unknown): ProviderAnswer {
  if (type === 'scalar') {
    const value = Number((result as [number, string])[1]);
    return Number.isFinite(value)
      ? { ok: true, value, summary: `${query} = ${value}` }
      : { ok: false, inconclusive: `${query} = ${value} (not a finite number)` };
  }
  if (type !== 'vector' && type !== 'matrix')
    return { ok: false, inconclusive: `${query} gave a ${type || 'missing'} result, not a number or series` };
  const series = (result as PromSeries[])
    .map((s) => {
      const samples = type === 'vector' ? [s.value as [number, string]] : (s.values ?? []);
      return { labels: s.metric, numbers: samples.map(([, v]) => Number(v)) };
    })
    .filter((s) => s.numbers.length > 0);
  if (series.length === 0)
    return {
      ok: false,
      inconclusive: `no data: ${query} matched no series${type === 'matrix' ? ' in the window' : ''}`,
    };
  const bad = series.find((s) => !Number.isFinite(s.numbers[s.numbers.length - 1]));
  if (bad)
    return {
      ok: false,
      inconclusive:
        `${query} is ${bad.numbers[bad.numbers.length - 1]} for {` +
        `${seriesKey(bad.labels)}} (a division by zero: no traffic in ` +
        `the window?)`,
    };
  const last = series.map((s) => ({ labels: s.labels, value: s.numbers[s.numbers.length - 1] }));
  const value = last.length === 1 ? last[0].value : Object.fromEntries(last.map((s) => [seriesKey(s.labels), s.value]));
  const fields: Record<string, unknown> = { series: last };
  if (type === 'matrix') {
    const all = series.flatMap((s) => s.numbers).filter(Number.isFinite);
    fields.range = {
      min: Math.min(...all),
      max: Math.max(...all),
      avg: all.reduce((a, b) => a + b, 0) / all.length,
      samples: all.length,
    };
  }
  const shown = last.length === 1 ? String(last[0].value) : `${last.length} series`;
  return { ok: true, value, fields, summary: `${query} = ${shown}` };
}
