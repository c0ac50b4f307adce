/**
 * Two tiny HTTP servers standing in for V1 and V2 behind a router in the driver tests: each
 * answers every path with {"version": "v1"|"v2"} (what the demo's /health says), and can be
 * closed and reopened on its port. The demo services themselves run in the workflow tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadInlinePlan } from '../../activities/plan-loader';
import type { LoadedPlan } from '../../domain/loaded-plan';

export interface VersionBackends {
  urls: { v1: string; v2: string };
  close: () => Promise<void>;
}

function serve(version: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-version', version);
    res.end(JSON.stringify({ status: 'ok', version }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startVersionBackends(): Promise<VersionBackends> {
  const servers = [await serve('v1'), await serve('v2')];
  const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return {
    urls: { v1: url(servers[0]), v2: url(servers[1]) },
    close: async () => {
      for (const s of servers) await new Promise((r) => (s.closeAllConnections(), s.close(r)));
    },
  };
}

/** A minimal valid plan around a traffic section (services by exec driver: never started here). */
export function routerPlan(
  workdir: string,
  urls: { v1: string; v2: string },
  traffic: Record<string, unknown>,
): LoadedPlan {
  const service = (role: string) => ({
    name: `svc-${role}`,
    driver: 'exec',
    start: ['true'],
    stop: ['true'],
    status: ['true'],
    baseUrl: urls[role as 'v1'],
  });
  return loadInlinePlan(
    {
      name: 'router-test',
      workdir,
      services: { v1: service('v1'), v2: service('v2') },
      backup: { paths: ['data'] },
      tests: { command: ['true'] },
      approvals: { approvers: { engineering: ['alice'], operations: ['bob'], dataQuality: ['carol'] } },
      traffic,
    },
    workdir,
  );
}

/**
 * GET on a connection of its own: after a reload nginx's old workers still answer requests on
 * the keep-alive connections they hold, while every new connection gets the new config.
 */
export function freshGet(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, timeout: 5_000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

export async function versionsSeen(publicUrl: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push((JSON.parse((await freshGet(`${publicUrl}/health`)).body) as { version: string }).version);
  return out;
}
