/**
 * A real nginx for a test: listens on a free loopback port, proxies to the upstream include the
 * `nginx` traffic driver writes, and answers 503 + Retry-After from its own maintenance location
 * when no upstream answers (refused, reset, timed out) — never a refused connection. The config
 * is what docs/routers/nginx.md asks of an operator's own nginx.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './demo-fixture';
import { findProgram, spawnRouter, stopChild, type RouterProcess } from './router-process';

export const NGINX = findProgram('nginx');

export interface NginxRouter extends RouterProcess {
  config: string;
  include: string;
}

export function nginxConfig(dir: string, port: number, include: string): string {
  const p = (f: string) => path.join(dir, f);
  return `daemon off;
worker_processes 1;
pid ${p('nginx.pid')};
# a reload's old workers finish their requests, never longer than the driver waits for them (10 s)
worker_shutdown_timeout 10s;
error_log ${p('error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
  include ${include};
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://cutover_upstream;
      # keep-alive to the upstream (the include's \`keepalive\`) needs HTTP/1.1 without "Connection: close"
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_connect_timeout 1s;
      # a refused or reset upstream connection (a version stopping, a cached connection it closed) is retried
      proxy_next_upstream error timeout;
      error_page 502 503 504 = @maintenance;
    }
    location @maintenance {
      add_header Retry-After 1 always;
      default_type application/json;
      return 503 '{"status":"maintenance","detail":"no upstream is serving; retry shortly"}\\n';
    }
  }
}
`;
}

/** `upstream` is the include's first content (the router's state before any cutover). */
export async function startNginx(
  upstream: string,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-nginx-')),
): Promise<NginxRouter> {
  if (!NGINX) throw new Error('nginx is not installed: run scripts/install-tools.sh (Debian package nginx-light)');
  fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const port = await freePort();
  const include = path.join(dir, 'upstream.conf');
  const config = path.join(dir, 'nginx.conf');
  fs.writeFileSync(include, upstream);
  fs.writeFileSync(config, nginxConfig(dir, port, include));
  const log = path.join(dir, 'error.log');
  const child = await spawnRouter([NGINX, '-e', 'stderr', '-c', config], port, dir, log);
  return {
    dir,
    config,
    include,
    publicUrl: `http://127.0.0.1:${port}`,
    child,
    log: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''),
    stop: () => stopChild(child),
  };
}

/** The operator's upstream block; `directives` such as `keepalive 16` are kept by the driver's switches. */
export const upstreamBlock = (servers: string[], name = 'cutover_upstream', directives: string[] = []) =>
  `upstream ${name} {\n${[...directives.map((d) => `  ${d};`), ...servers.map((s) => `  server ${s};`)].join('\n')}\n}\n`;
