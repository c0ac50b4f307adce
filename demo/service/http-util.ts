import type { IncomingMessage } from 'node:http';
import type { ServiceContext } from './context';

/** A handler's answer; the server writes it, so metrics and audit see every response. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One route's method: the server's context, the request and its query in, a reply out. */
export type Handler = (ctx: ServiceContext, req: IncomingMessage, query: URLSearchParams) => Reply | Promise<Reply>;

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
});

/** Thrown by handlers for a 4xx the client caused; turned into `{error, ...details}`. */
export class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ClientError(413, 'request body too large', { limitBytes: MAX_BODY });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ClientError(400, 'request body must be a JSON object');
  try {
    return JSON.parse(text);
  } catch {
    throw new ClientError(400, 'request body is not valid JSON');
  }
}

/** Rejects query parameters a route does not know, so typos fail loudly instead of being ignored. */
export function checkQuery(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key))
      throw new ClientError(400, `unknown query parameter "${key}"`, { parameter: key, allowed });
  }
}

export function nonNegativeInt(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new ClientError(400, `query parameter "${name}" must be an integer between 0 and ${max}`, {
      parameter: name,
      value: raw,
    });
  }
  return v;
}
