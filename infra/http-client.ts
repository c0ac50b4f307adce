/**
 * The one HTTP client of every provider, probe and driver: URLs joined keeping a base path,
 * one timeout rule, one retry rule, the activity's cancellation, and undici's hidden error cause
 * ("ECONNREFUSED") unpacked once. Never throws for an HTTP status, only when no answer came.
 */
import http from 'node:http';
import https from 'node:https';
import { cancellationSignal } from './activity-context';

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** per attempt, send to last byte (default 10 s) */
  timeoutMs?: number;
  /**
   * extra attempts when no answer came (default: 1 for GET/HEAD, 0 otherwise). A pooled
   * keep-alive connection the server has since closed fails with ECONNRESET; that is not the
   * service failing, so an idempotent request is sent once more.
   */
  retries?: number;
  /** cut short by this too (besides the activity's own cancellation) */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** parsed JSON, or undefined when the body is not JSON */
  json: unknown;
  /** send to last byte of the successful attempt */
  ms: number;
}

/** No answer at all (refused, reset, timed out, DNS): the message carries the cause's code. */
export class HttpNoAnswer extends Error {
  constructor(
    readonly url: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'HttpNoAnswer';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Joins by string, not `new URL(path, base)`, which drops a base path: http://h/api + /kpis → http://h/api/kpis. */
export function joinUrl(baseUrl: string, pathAndQuery: string): string {
  if (!pathAndQuery) return baseUrl;
  return baseUrl.replace(/\/+$/, '') + (pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`);
}

/** "fetch failed: ECONNREFUSED" instead of undici's bare "fetch failed". */
export function errorText(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `timed out (${e.message})`;
  return [e?.message ?? String(err), e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(': ');
}

export async function httpRequest(url: string, req: HttpRequest = {}): Promise<HttpAnswer> {
  const method = (req.method ?? 'GET').toUpperCase();
  const retries = req.retries ?? (method === 'GET' || method === 'HEAD' ? 1 : 0);
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(url, method, req);
    } catch (err) {
      const cancelled = cancellationSignal()?.aborted || req.signal?.aborted;
      if (cancelled || attempt >= retries) {
        const code =
          (err as { cause?: { code?: string } }).cause?.code ??
          ((err as Error).name === 'TimeoutError' ? 'TIMEOUT' : undefined);
        throw new HttpNoAnswer(url, code, `${method} ${url}: ${errorText(err)}`);
      }
    }
  }
}

async function once(url: string, method: string, req: HttpRequest): Promise<HttpAnswer> {
  const signals = [AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS), cancellationSignal(), req.signal].filter(
    (s): s is AbortSignal => !!s,
  );
  const started = performance.now();
  const res = await fetch(url, { method, headers: req.headers, body: req.body, signal: AbortSignal.any(signals) });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), text, json, ms };
}

/** GET that must answer 2xx with a JSON object; anything else throws with the status and the body's start. */
export async function getJsonObject(url: string, req: HttpRequest = {}): Promise<Record<string, unknown>> {
  const answer = await httpRequest(url, req);
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`GET ${url} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (typeof answer.json !== 'object' || answer.json === null || Array.isArray(answer.json))
    throw new Error(`GET ${url} did not answer a JSON object`);
  return answer.json as Record<string, unknown>;
}

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * Status only, for the sentinel's synthetic GETs (5 a minute, 1,680 probes in the 24-hour test):
 * node:http with a keep-alive agent costs ≈ 0.5 ms of CPU per request where `fetch` costs ≈ 1.4
 * (measured, see bench/README.md "The 24-hour plan under time skipping"). Same timeout and cancellation as
 * httpRequest; no answer at all is `undefined` (the caller counts it as an error), never a throw.
 */
export function httpStatus(url: string, req: Pick<HttpRequest, 'timeoutMs'> = {}): Promise<number | undefined> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(undefined);
    }
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!client) return resolve(undefined);
    const signals = [AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS), cancellationSignal()].filter(
      (s): s is AbortSignal => !!s,
    );
    const request = client.get(
      target,
      { agent: agents[target.protocol as 'http:' | 'https:'], signal: AbortSignal.any(signals) },
      (res) => {
        res.on('error', () => resolve(undefined));
        // The body is read to its end so the connection goes back to the pool.
        res.resume().on('end', () => resolve(res.statusCode));
      },
    );
    request.on('error', () => resolve(undefined));
  });
}
