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

/**
 * What every test nginx shares: foreground, one worker, every file in its own folder. `main` are
 * extra top-level directives, `http` the http block's own.
 */
export function nginxBaseConfig(dir: string, http: string, main = ''): string {
  const p = (f: string) => path.join(dir, f);
  const indented = http
    .trim()
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
  return `daemon off;
worker_processes 1;
pid ${p('nginx.pid')};
${main ? `${main.trim()}\n` : ''}error_log ${p('error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${p('tmp/body')};
  proxy_temp_path ${p('tmp/proxy')};
  fastcgi_temp_path ${p('tmp/fastcgi')};
  uwsgi_temp_path ${p('tmp/uwsgi')};
  scgi_temp_path ${p('tmp/scgi')};
${indented}
}
`;
}

/** Writes `config` into `dir` and runs nginx on it until it answers on `port`. */
export async function runNginx(dir: string, port: number, config: string): Promise<RouterProcess & { config: string }> {
  if (!NGINX) throw new Error('nginx is not installed: run scripts/install-tools.sh (Debian package nginx-light)');
  fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, config);
  const log = path.join(dir, 'error.log');
  const child = await spawnRouter([NGINX, '-e', 'stderr', '-c', file], port, dir, log);
  return {
    dir,
    config: file,
    publicUrl: `http://127.0.0.1:${port}`,
    child,
    log: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''),
    stop: () => stopChild(child),
  };
}

export function nginxConfig(dir: string, port: number, include: string): string {
  return nginxBaseConfig(
    dir,
    `include ${include};
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
}`,
    // a reload's old workers finish their requests, never longer than the driver waits for them (10 s)
    'worker_shutdown_timeout 10s;',
  );
}

/** `upstream` is the include's first content (the router's state before any cutover). */
export async function startNginx(
  upstream: string,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-nginx-')),
): Promise<NginxRouter> {
  const port = await freePort();
  const include = path.join(dir, 'upstream.conf');
  fs.writeFileSync(include, upstream);
  return { ...(await runNginx(dir, port, nginxConfig(dir, port, include))), include };
}

/** The operator's upstream block; `directives` such as `keepalive 16` are kept by the driver's switches. */
export const upstreamBlock = (servers: string[], name = 'cutover_upstream', directives: string[] = []) =>
  `upstream ${name} {\n${[...directives.map((d) => `  ${d};`), ...servers.map((s) => `  server ${s};`)].join('\n')}\n}\n`;
