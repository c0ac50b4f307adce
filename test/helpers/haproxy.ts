/**
 * A real HAProxy for a test: a free loopback port, an admin socket in its temp folder, one
 * backend with V1 and V2 as servers (health-checked), and a 503 + Retry-After error file for
 * when no server is up — HAProxy then answers every request itself instead of refusing it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './demo-fixture';
import { findProgram, spawnRouter, stopChild, type RouterProcess } from './router-process';

export const HAPROXY = findProgram('haproxy');

export interface HaproxyRouter extends RouterProcess {
  config: string;
  socket: string;
  stateFile: string;
}

export interface HaproxyOptions {
  v1: string;
  v2: string;
  /** V2 starts in maintenance (the usual state before a cutover) */
  v2Disabled?: boolean;
  v2Weight?: number;
  /** what HAProxy's health check asks each server (default the demo's /health) */
  healthPath?: string;
}

const hostPort = (url: string) => new URL(url).host;

export function haproxyConfig(dir: string, port: number, o: HaproxyOptions): string {
  const p = (f: string) => path.join(dir, f);
  return `global
  stats socket ${p('admin.sock')} mode 600 level admin
  pidfile ${p('haproxy.pid')}
  server-state-file ${p('servers.state')}
defaults
  mode http
  load-server-state-from-file global
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  # a request that meets a closing server connection (V1 draining) is sent again, to another
  # server if one is up; with no server up the 503 below answers at once
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response
  errorfile 503 ${p('503.http')}
frontend public
  bind 127.0.0.1:${port}
  default_backend app
backend app
  balance roundrobin
  option httpchk GET ${o.healthPath ?? '/health'}
  default-server inter 250ms fall 1 rise 1
  server v1 ${hostPort(o.v1)} check weight 100
  server v2 ${hostPort(o.v2)} check weight ${o.v2Weight ?? 100}${o.v2Disabled === false ? '' : ' disabled'}
`;
}

const BODY = '{"status":"maintenance","detail":"no upstream is serving; retry shortly"}\n';
/** With Content-Length: a client reading keep-alive answers must see where this one ends. */
export const MAINTENANCE_503 =
  `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ` +
  `1\r\nCache-Control: no-cache\r\nContent-Type: ` +
  `application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;

export async function startHaproxy(
  o: HaproxyOptions,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-haproxy-')),
): Promise<HaproxyRouter> {
  if (!HAPROXY) throw new Error('haproxy is not installed: run scripts/install-tools.sh (Debian package haproxy)');
  const port = await freePort();
  const config = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(path.join(dir, '503.http'), MAINTENANCE_503);
  fs.writeFileSync(config, haproxyConfig(dir, port, o));
  const child = await spawnRouter([HAPROXY, '-db', '-f', config], port, dir, path.join(dir, 'none'));
  return {
    dir,
    config,
    socket: path.join(dir, 'admin.sock'),
    stateFile: path.join(dir, 'servers.state'),
    publicUrl: `http://127.0.0.1:${port}`,
    child,
    log: () => '',
    stop: () => stopChild(child),
  };
}
