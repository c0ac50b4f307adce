/**
 * Shared by the provider tests: a ProviderContext for one service of a loaded plan, and a tiny
 * real reverse proxy that serves a service under a base path (/api/* → the service's /*), as a
 * gateway in front of a real deployment would, recording what it forwarded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import type { ProviderContext } from '../../activities/checks/providers/provider';

export function providerContext(
  loaded: LoadedPlan,
  role: ServiceRole,
  env: NodeJS.ProcessEnv = {},
  baseUrl?: string,
): ProviderContext {
  const service = { ...loaded.plan.services[role], ...(baseUrl ? { baseUrl } : {}) };
  return {
    loaded,
    target: { role, service },
    vars: { service: service.name, version: role, window: '5m', baseUrl: service.baseUrl },
    env,
  };
}

export interface Forwarded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ApiProxy {
  url: string;
  /** every request the proxy received, in order */
  seen: Forwarded[];
  close(): Promise<void>;
}

/**
 * /api/*  → the upstream's /* (the only way to reach the service);
 * /half/health → the upstream's /health, anything else under /half → 404 (a half-wired gateway);
 * /echo → the request's method, content-type and body as JSON; anything else → 404 JSON.
 */
export async function startApiProxy(upstream: string): Promise<ApiProxy> {
  const seen: Forwarded[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const url = req.url!;
      const rest = url.startsWith('/api/') ? url.slice(4) : url === '/half/health' ? '/health' : undefined;
      if (url === '/echo')
        return send(200, { method: req.method, contentType: req.headers['content-type'] ?? null, body });
      if (rest === undefined) return send(404, { error: `no route ${url} on the gateway` });
      const forward = http.request(
        `${upstream}${rest}`,
        { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', (err) => send(502, { error: `upstream: ${err.message}` }));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
