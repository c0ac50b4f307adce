/**
 * The authenticating-proxy setup of docs/operations/codec-and-secrets.md, for real: nginx in front
 * of the Web UI and the codec server on one origin, every request checked by `auth_request`
 * against a sign-in service, which hands nginx the user's access token to pass to the codec server.
 * The sign-in service here stands in for oauth2-proxy (same paths and headers): its /oauth2/start
 * signs the browser in at once (no identity provider pages to click through) with a session
 * cookie, and /oauth2/auth answers 202 + X-Auth-Request-Access-Token for a live session.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './demo-fixture';
import { nginxBaseConfig, runNginx } from './nginx';
import type { TestIssuer } from './oidc-issuer';
import type { RouterProcess } from './router-process';

export const SESSION_COOKIE = '_oauth2_proxy';

export interface SignInService {
  url: string;
  /** a session as /oauth2/start makes one, for requests made outside a browser */
  newSession(user: string): string;
  close(): Promise<void>;
}

export async function startSignInService(issuer: TestIssuer, audience: string, user = 'alice'): Promise<SignInService> {
  const sessions = new Map<string, string>();
  const newSession = (who: string) => {
    const id = crypto.randomBytes(16).toString('hex');
    sessions.set(id, who);
    return id;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sign-in');
    if (url.pathname === '/oauth2/start') {
      const back = url.searchParams.get('rd') ?? '/';
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${newSession(user)}; Path=/; HttpOnly; SameSite=Lax`);
      res.setHeader('Location', back.startsWith('/') ? back : '/');
      res.statusCode = 302;
      return void res.end();
    }
    if (url.pathname === '/oauth2/auth') {
      const id = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([0-9a-f]+)`).exec(req.headers.cookie ?? '')?.[1];
      const who = id && sessions.get(id);
      if (!who) return void ((res.statusCode = 401), res.end());
      res.setHeader('X-Auth-Request-User', who);
      res.setHeader('X-Auth-Request-Access-Token', issuer.token({ sub: who, aud: audience }));
      res.statusCode = 202;
      return void res.end();
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    newSession,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The server block the docs show, with the test's own folders and ports. */
export function codecProxyConfig(dir: string, port: number, to: { signIn: string; codec: string; ui: string }) {
  return nginxBaseConfig(
    dir,
    `# a page of history decodes in one request: allow a few large payloads
client_max_body_size 64m;
server {
  listen 127.0.0.1:${port};
  location /oauth2/ {
    proxy_pass ${to.signIn};
  }
  location = /oauth2/auth {
    internal;
    proxy_pass ${to.signIn};
    proxy_pass_request_body off;
    proxy_set_header Content-Length "";
  }
  location /codec/ {
    auth_request /oauth2/auth;
    auth_request_set $access_token $upstream_http_x_auth_request_access_token;
    proxy_set_header Authorization "Bearer $access_token";
    proxy_pass ${to.codec}/;
  }
  location / {
    auth_request /oauth2/auth;
    error_page 401 = @sign_in;
    proxy_pass ${to.ui};
    proxy_http_version 1.1;
  }
  location @sign_in {
    return 302 /oauth2/start?rd=$request_uri;
  }
}`,
  );
}

/** nginx on `port` (a free one when not given: the UI's codec endpoint must name it before it starts). */
export async function startCodecProxy(
  to: { signIn: string; codec: string; ui: string },
  port?: number,
): Promise<RouterProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-codec-proxy-'));
  const listen = port ?? (await freePort());
  return runNginx(dir, listen, codecProxyConfig(dir, listen, to));
}
