/**
 * The live page's HTTP server: the page, its script, and two JSON endpoints the page polls. It
 * has no write route at all: every method but GET/HEAD is refused, so votes, aborts and rollbacks
 * keep going through the CLI or the Temporal UI with their identity rules.
 */
import http from 'node:http';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { listRuns } from './dashboard-runs';
import { readRunDetail } from './dashboard-run';
import { DASHBOARD_HTML, DASHBOARD_SCRIPT } from './dashboard-page';
import { isLoopback } from './dashboard-listen';

export interface DashboardOptions {
  client: Client;
  /** runs listed at most */
  limit: number;
  /** how often the page polls, ms */
  everyMs: number;
  logger: Logger;
  /** bound to loopback: only a Host header naming loopback is answered (no DNS rebinding) */
  loopbackOnly: boolean;
}

// The page holds no inline script and loads nothing from elsewhere; chart SVG is drawn by us.
const SECURITY_HEADERS = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const hostOf = (header: string | undefined) => (header ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');

export function createDashboardServer(o: DashboardOptions): http.Server {
  const send = (res: http.ServerResponse, code: number, type: string, body: string) => {
    res.writeHead(code, { ...SECURITY_HEADERS, 'content-type': type });
    res.end(body);
  };
  const json = (res: http.ServerResponse, code: number, body: unknown) =>
    send(res, code, 'application/json; charset=utf-8', JSON.stringify(body));
  return http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return json(res, 405, { error: `${req.method} refused: the dashboard is read-only (vote with cutover approve)` });
    }
    const host = hostOf(req.headers.host);
    if (o.loopbackOnly && host !== 'localhost' && !isLoopback(host))
      return json(res, 421, {
        error:
          `Host "${req.headers.host}" refused: this dashboard answers on loopback only. Behind a proxy, ` +
          `send the listen address as Host (nginx: no proxy_set_header Host; see docs/operations/dashboard.md)`,
      });
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const answer = async () => {
      if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', DASHBOARD_HTML);
      if (url.pathname === '/dashboard.js')
        return send(res, 200, 'text/javascript; charset=utf-8', DASHBOARD_SCRIPT(o.everyMs));
      if (url.pathname === '/api/runs')
        return json(res, 200, { at: new Date().toISOString(), runs: await listRuns(o.client, o.limit) });
      if (url.pathname === '/api/run') {
        const id = url.searchParams.get('id');
        if (!id) return json(res, 400, { error: 'id: missing; use /api/run?id=<workflow id>' });
        return json(res, 200, { at: new Date().toISOString(), run: await readRunDetail(o.client, id) });
      }
      return json(res, 404, { error: `${url.pathname}: no such page (try / or /api/runs)` });
    };
    answer().catch((err: Error) => {
      const notFound = err.name === 'WorkflowNotFoundError';
      o.logger.warn({ err: err.message, path: url.pathname }, 'dashboard request failed');
      if (!res.headersSent) json(res, notFound ? 404 : 502, { error: err.message });
    });
  });
}
