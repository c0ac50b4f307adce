import * as http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceContext } from './context';
import { ClientError, type Reply } from './http-util';
import { ROUTES, type RequestKind } from './routes';

/**
 * HTTP plumbing shared by V1 and V2: routing, injected latency/errors, metrics, audit, and the
 * guarantee that bad input gets a 4xx JSON answer, never a 5xx.
 */
export interface DemoServer {
  server: http.Server;
  /** Requests currently being handled; shutdown waits for it to reach 0. */
  inFlight(): number;
}

export function createDemoServer(ctx: ServiceContext): DemoServer {
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    void handle(ctx, req, res);
  });
  server.keepAliveTimeout = 5_000;
  return { server, inFlight: () => inFlight };
}

async function handle(ctx: ServiceContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  const method = req.method ?? 'GET';
  let routeLabel = 'unknown';
  // a request for a route that does not exist is a user's (a client with a wrong path)
  let kind: RequestKind = 'user';
  let reply: Reply;
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = ROUTES[url.pathname];
    if (!route)
      throw new ClientError(404, `no route ${url.pathname}`, { path: url.pathname, routes: Object.keys(ROUTES) });
    routeLabel = url.pathname;
    kind = route.kind;
    if (routeLabel !== '/metrics') {
      ctx.metrics.inFlight.inc();
      res.once('close', () => ctx.metrics.inFlight.dec());
    }
    const handler = route.methods[method];
    if (!handler) {
      const allow = Object.keys(route.methods).join(', ');
      throw new ClientError(405, `method ${method} not allowed on ${url.pathname}`, { allow });
    }
    const latency = ctx.faults.current.latencyMs ?? 0;
    if (route.latency && latency > 0) await sleep(latency);
    if (route.errors && ctx.faults.takeError()) {
      reply = { status: 500, body: { error: 'injected fault: errorRate', fault: 'errorRate' } };
    } else {
      reply = await handler(ctx, req, url.searchParams);
    }
    if (route.latency && latency > 0)
      reply.headers = { ...reply.headers, 'x-demo-injected-latency-ms': String(latency) };
    if (route.audited) {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.audit.append('request', { method, path: url.pathname, query: url.search, status: reply.status, durationMs });
    }
  } catch (err) {
    reply = toErrorReply(ctx, err, method, routeLabel);
  }
  send(ctx, res, reply, routeLabel, method, started, kind);
}

function toErrorReply(ctx: ServiceContext, err: unknown, method: string, route: string): Reply {
  if (err instanceof ClientError) {
    const headers: Record<string, string> = err.status === 405 ? { allow: String(err.details.allow) } : {};
    return { status: err.status, body: { error: err.message, ...err.details }, headers };
  }
  ctx.log.error({ err, method, route }, 'request failed');
  return { status: 500, body: { error: 'internal error' } };
}

function send(
  ctx: ServiceContext,
  res: http.ServerResponse,
  reply: Reply,
  route: string,
  method: string,
  started: bigint,
  kind: RequestKind,
): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = {
    'content-type': reply.contentType ?? 'application/json; charset=utf-8',
    'x-demo-version': ctx.version,
    ...reply.headers,
  };
  // Closing connections while draining lets keep-alive clients move on and the server close.
  if (ctx.draining) headers.connection = 'close';
  if (!res.headersSent) {
    res.writeHead(reply.status, headers);
    res.end(text);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const status = String(reply.status);
  ctx.metrics.requests.inc({ route, method, status, kind });
  ctx.metrics.requestDuration.observe({ route, method, status }, seconds);
  if (reply.status >= 500) ctx.metrics.errors.inc({ route, status, kind });
  const quiet = route === '/health' || route === '/metrics';
  ctx.log[quiet ? 'debug' : 'info']({ method, route, status: reply.status, ms: seconds * 1000 }, 'request');
}
