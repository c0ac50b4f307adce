/**
 * A small OIDC issuer for tests: a real HTTP server on a loopback port that serves its discovery
 * document and its JWKS (keys generated here: RS256 and ES256), and signs access tokens with them.
 * Keys can be added and removed while it runs (rotation), and it can be made to fail (an issuer down).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Alg = 'RS256' | 'ES256';

interface SigningKey {
  kid: string;
  alg: Alg;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export interface TestIssuer {
  /** the issuer URL, as its tokens' `iss` */
  url: string;
  /** how many times the JWKS was read */
  jwksReads(): number;
  addKey(kid: string, alg: Alg): void;
  removeKey(kid: string): void;
  /** signs `claims` (defaults: iss, sub "alice", exp in 5 min) with the key `kid` (default: the first) */
  token(claims?: Record<string, unknown>, opts?: { kid?: string; header?: Record<string, unknown> }): string;
  /** answers 500 to everything until set back */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

function newKey(kid: string, alg: Alg): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export async function startTestIssuer(firstKeys: { kid: string; alg: Alg }[] = [{ kid: 'rsa-1', alg: 'RS256' }]) {
  const keys: SigningKey[] = firstKeys.map(({ kid, alg }) => newKey(kid, alg));
  let reads = 0;
  let down = false;
  let url = '';
  const server = http.createServer((req, res) => {
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (down) return void ((res.statusCode = 500), res.end());
    if (req.url === '/.well-known/openid-configuration') return json({ issuer: url, jwks_uri: `${url}/jwks` });
    if (req.url === '/jwks') {
      reads++;
      return json({ keys: keys.map((k) => k.publicJwk) });
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const issuer: TestIssuer = {
    url,
    jwksReads: () => reads,
    addKey: (kid, alg) => void keys.push(newKey(kid, alg)),
    removeKey: (kid) =>
      void keys.splice(
        keys.findIndex((k) => k.kid === kid),
        1,
      ),
    setDown: (value) => void (down = value),
    token(claims = {}, opts = {}) {
      const key = opts.kid ? keys.find((k) => k.kid === opts.kid) : keys[0];
      if (!key) throw new Error(`test issuer has no key ${opts.kid}`);
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: key.alg, typ: 'JWT', kid: key.kid, ...opts.header };
      const body = { iss: url, sub: 'alice', iat: now, exp: now + 300, ...claims };
      const input = `${b64(header)}.${b64(body)}`;
      const signature = sign('sha256', Buffer.from(input), {
        key: key.privateKey,
        ...(key.alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
      });
      return `${input}.${signature.toString('base64url')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return issuer;
}
