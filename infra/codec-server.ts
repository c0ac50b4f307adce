/**
 * Temporal's codec-server protocol on node:http, so the Web UI and the `temporal` CLI
 * (`--codec-endpoint`) show decrypted payloads to those who may see them:
 *   POST /encode and /decode (also /<namespace>/encode|decode, the CLI's templated form),
 *   body and answer `{"payloads": [{"metadata": {k: base64}, "data": base64}]}`,
 *   header X-Namespace (logged; one key set serves every namespace).
 * The UI calls it from the browser, so CORS: only the listed UI origins, with credentials.
 * With authentication configured (infra/codec-server-auth.ts: a static token, the UI's OIDC access
 * token, or both) every POST needs `Authorization: Bearer …`; a refusal says why.
 * A payload it cannot decrypt (a key it lacks, altered bytes) is answered, not the whole request
 * refused: as JSON `{"undecodable": "<why>"}`, the reason the workflow recorded when it refused it.
 */
import http from 'node:http';
import type { Logger } from 'pino';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { TolerantPayloadCodec, undecodableReason } from './payload-codec';
import { UNDECODABLE_REASON_METADATA } from '../domain/undecodable';
import type { CodecServerAuth } from './codec-server-auth';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** UI origins allowed to call from a browser, e.g. http://localhost:8233 */
  origins: string[];
  /** when set, each POST must pass it (none: every request is answered) */
  auth?: CodecServerAuth;
  logger?: Logger;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024; // a batch of payloads can reach a few 2 MB blobs
const ALLOWED_HEADERS = 'X-Namespace, Content-Type, Authorization';
const ROUTE = /^\/(?:([^/]+)\/)?(encode|decode)\/?$/;

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** What the UI shows for a payload that could not be decoded: the reason, as readable JSON. */
function shown(p: Payload): Payload {
  const reason = undecodableReason(p);
  if (reason === undefined) return p;
  const utf8 = (t: string) => Buffer.from(t, 'utf8');
  return {
    metadata: { encoding: utf8('json/plain'), [UNDECODABLE_REASON_METADATA]: utf8(reason) },
    data: utf8(JSON.stringify({ undecodable: reason })),
  };
}

/** The request body as text; past `maxBytes` a 413 HttpError (the alert webhook reads its bodies the same way). */
export function readBody(req: http.IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new HttpError(413, `body larger than ${maxBytes} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parsePayloads(body: string): Payload[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'body is not JSON: expected {"payloads": [...]}');
  }
  const payloads = (json as { payloads?: unknown })?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'body has no "payloads" list: expected {"payloads": [...]}');
  return payloads.map((p) => fromJson(p as JsonPayload));
}

export function createCodecServer(opts: CodecServerOptions): http.Server {
  const origins = new Set(opts.origins.map((o) => o.replace(/\/+$/, '')));
  // The UI decodes a whole page of history in one request: one bad payload must not hide the rest.
  const tolerant = new TolerantPayloadCodec(opts.codec);

  return http.createServer((req, res) => {
    const origin = req.headers.origin;
    // Only a listed origin gets CORS headers: any other web page's script cannot read the answer.
    if (origin && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.setHeader('Vary', 'Origin');
    const send = (status: number, body?: unknown) => {
      res.statusCode = status;
      if (body === undefined) return void res.end();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };

    const route = ROUTE.exec(new URL(req.url ?? '/', 'http://codec').pathname);
    if (req.method === 'OPTIONS') return send(origin && origins.has(origin) ? 204 : 403);
    if (!route) return send(404, { message: 'not found: POST /encode or /decode' });
    if (req.method !== 'POST') return send(405, { message: 'use POST' });
    const op = route[2] as 'encode' | 'decode';
    const namespace = (req.headers['x-namespace'] as string | undefined) ?? route[1] ?? 'default';

    (opts.auth?.check(req.headers.authorization) ?? Promise.resolve({ ok: true as const, by: 'anyone' }))
      .then(async (verdict) => {
        if (!verdict.ok) {
          opts.logger?.warn({ path: req.url, origin, reason: verdict.reason }, 'codec server: request refused');
          const why = verdict.status === 401 ? 'unauthorized' : 'cannot check the token';
          return send(verdict.status, { message: `${why}: ${verdict.reason}` });
        }
        const payloads = parsePayloads(await readBody(req));
        const out = op === 'decode' ? (await tolerant.decode(payloads)).map(shown) : await opts.codec.encode(payloads);
        opts.logger?.debug({ op, namespace, count: payloads.length, by: verdict.by }, 'codec server');
        send(200, { payloads: out.map(toJson) });
      })
      .catch((err: Error) => {
        const status = err instanceof HttpError ? err.status : 400;
        opts.logger?.warn({ op, namespace, err: err.message }, 'codec server: request failed');
        if (!res.headersSent) send(status, { message: err.message });
      });
  });
}
