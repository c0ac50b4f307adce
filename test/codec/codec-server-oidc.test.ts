/**
 * The codec server accepting the Web UI's login: an OIDC access token verified against a real
 * test issuer's JWKS over HTTP (discovery, RS256 and ES256, rotation by `kid`, exp/nbf/iss/aud),
 * in process and as the real `cutover codec-server` configured from its settings.
 */
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import { createCodecServer } from '../../infra/codec-server';
import { codecServerAuth } from '../../infra/codec-server-auth';
import { JwtVerifier } from '../../infra/jwt-verifier';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { parseCodecKeys } from '../../infra/codec-config';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer';
import { REPO } from '../helpers/demo-fixture';
import { newKeys, startCodecServer } from './codec-helpers';

const AUDIENCE = 'temporal-ui';
const keys = newKeys();
const codec = new AesGcmPayloadCodec(parseCodecKeys(keys, 'test'));
const servers: http.Server[] = [];
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer([
    { kid: 'rsa-1', alg: 'RS256' },
    { kid: 'ec-1', alg: 'ES256' },
  ]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await issuer?.close();
});

/** A codec server whose clock the test may move (the verifier's `now`). */
async function serve(opts: { token?: string; issuerUrl?: string } = {}) {
  const clock = { offsetMs: 0 };
  const verifier = new JwtVerifier({
    issuer: opts.issuerUrl ?? issuer.url,
    audience: AUDIENCE,
    now: () => Date.now() + clock.offsetMs,
  });
  const server = createCodecServer({ codec, origins: [], auth: codecServerAuth({ token: opts.token, verifier }) });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, clock };
}

const plain = defaultPayloadConverter.toPayload({ secret: 'oidc-s3cr3t' });
const wire = (p: typeof plain) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
let encrypted: unknown;
beforeAll(async () => {
  encrypted = wire((await codec.encode([plain]))[0]!);
});

/** POST /decode with `token` as the bearer; the status and the message or the decoded text. */
async function decode(url: string, token?: string) {
  const res = await fetch(`${url}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ payloads: [encrypted] }),
  });
  const body = (await res.json()) as { message?: string; payloads?: { data: string }[] };
  return { status: res.status, text: body.message ?? Buffer.from(body.payloads![0]!.data, 'base64').toString() };
}

const now = () => Math.floor(Date.now() / 1000);

test("a request without a token is refused with 401; with the issuer's token it decodes", async () => {
  const { url } = await serve();
  expect(await decode(url)).toEqual({ status: 401, text: expect.stringMatching(/no bearer token/) });
  expect(await decode(url, issuer.token({ aud: AUDIENCE }))).toEqual({ status: 200, text: '{"secret":"oidc-s3cr3t"}' });
  // an audience list naming ours, and an ES256 key, are accepted too
  expect((await decode(url, issuer.token({ aud: ['other', AUDIENCE] }, { kid: 'ec-1' }))).status).toBe(200);
});

test('a wrong audience, an expired or not-yet-valid token, another issuer, a bad signature: 401 saying which', async () => {
  const { url } = await serve();
  const cases: [string, RegExp][] = [
    [issuer.token({ aud: 'someone-else' }), /audience "someone-else" does not include "temporal-ui"/],
    [issuer.token({ aud: AUDIENCE, exp: now() - 120 }), /token expired at \d{4}-\d\d-\d\dT/],
    [issuer.token({ aud: AUDIENCE, nbf: now() + 600 }), /not valid before/],
    [issuer.token({ aud: AUDIENCE, exp: undefined }), /no expiry/],
    [issuer.token({ aud: AUDIENCE, iss: 'https://evil.example' }), /issuer "https:\/\/evil.example" is not/],
    [
      issuer.token({ aud: AUDIENCE }).replace(/\.[^.]+$/, `.${crypto.randomBytes(256).toString('base64url')}`),
      /signature/,
    ],
    // a token signed by the RSA key but claiming the EC key's id: the signature is checked with the named key
    [issuer.token({ aud: AUDIENCE }, { header: { kid: 'ec-1' } }), /algorithm RS256 does not match key "ec-1"/],
    [issuer.token({ aud: AUDIENCE }, { header: { alg: 'none' } }), /algorithm "none" is not accepted/],
    [issuer.token({ aud: AUDIENCE }, { header: { alg: 'HS256' } }), /algorithm "HS256" is not accepted/],
    [issuer.token({ aud: AUDIENCE }, { kid: 'ec-1' }).replace(/\.[^.]+$/, '.AAAA'), /signature/],
    [issuer.token({ aud: AUDIENCE }, { header: { kid: undefined } }), /names no key id/],
    ['not-a-jwt', /not a JWT/],
  ];
  for (const [token, reason] of cases) {
    expect(await decode(url, token)).toEqual({ status: 401, text: expect.stringMatching(reason) });
  }
  // within the clock skew (60 s) an expired-just-now token still passes
  expect((await decode(url, issuer.token({ aud: AUDIENCE, exp: now() - 20 }))).status).toBe(200);
});

test('a key the issuer adds (rotation) is fetched when a token names it; unknown ids do not hammer the issuer', async () => {
  const { url, clock } = await serve();
  expect((await decode(url, issuer.token({ aud: AUDIENCE }))).status).toBe(200);
  const reads = issuer.jwksReads();
  issuer.addKey('rsa-2', 'RS256');
  const rotated = issuer.token({ aud: AUDIENCE }, { kid: 'rsa-2' });
  // right after a read, an unknown kid is refused without reading again (a stream of made-up ids costs nothing)
  for (let i = 0; i < 5; i++)
    expect((await decode(url, rotated)).text).toMatch(/key id "rsa-2" is not in the issuer's key set/);
  expect(issuer.jwksReads()).toBe(reads);
  clock.offsetMs = 11_000;
  expect((await decode(url, rotated)).status).toBe(200);
  expect(issuer.jwksReads()).toBe(reads + 1);
  // a key the issuer withdrew stops working once the cached set is older than its maximum age (10 min)
  const signedByOld = issuer.token({ aud: AUDIENCE, exp: now() + 3600 }, { kid: 'rsa-1' });
  issuer.removeKey('rsa-1');
  expect((await decode(url, signedByOld)).status).toBe(200);
  clock.offsetMs = 11 * 60_000;
  expect((await decode(url, signedByOld)).text).toMatch(/key id "rsa-1" is not in the issuer's key set/);
  expect(issuer.jwksReads()).toBe(reads + 2);
});

test('an issuer that cannot be reached: 503 naming it; once its keys were read, they still verify while it is down', async () => {
  const first = await serve();
  issuer.setDown(true);
  try {
    expect(await decode(first.url, issuer.token({ aud: AUDIENCE }))).toEqual({
      status: 503,
      text: expect.stringMatching(
        /cannot check the token: the issuer's discovery document at http:\/\/127.0.0.1:\d+\/.well-known/,
      ),
    });
  } finally {
    issuer.setDown(false);
  }
  const second = await serve();
  expect((await decode(second.url, issuer.token({ aud: AUDIENCE }))).status).toBe(200);
  issuer.setDown(true);
  try {
    second.clock.offsetMs = 11 * 60_000; // stale: it tries the issuer again, fails, and keeps the keys it has
    expect((await decode(second.url, issuer.token({ aud: AUDIENCE, exp: now() + 3600 }))).status).toBe(200);
  } finally {
    issuer.setDown(false);
  }
});

test('with the static token and the issuer both configured, either one is accepted', async () => {
  const { url } = await serve({ token: 'cli-token' });
  expect((await decode(url, 'cli-token')).status).toBe(200);
  expect((await decode(url, issuer.token({ aud: AUDIENCE }))).status).toBe(200);
  expect((await decode(url, 'wrong')).status).toBe(401);
});

test('`cutover codec-server` takes the issuer and audience from its settings; a half setting stops it with the fix', async () => {
  const server = await startCodecServer(keys, [], {
    CUTOVER_CODEC_SERVER_OIDC_ISSUER: issuer.url,
    CUTOVER_CODEC_SERVER_OIDC_AUDIENCE: AUDIENCE,
  });
  try {
    expect((await decode(server.url)).status).toBe(401);
    expect(await decode(server.url, issuer.token({ aud: AUDIENCE }))).toEqual({
      status: 200,
      text: '{"secret":"oidc-s3cr3t"}',
    });
  } finally {
    await server.stop();
  }
  const run = (env: Record<string, string>) =>
    promisify(execFile)(path.join(REPO, 'bin/cutover'), ['codec-server', '--port', '0'], {
      env: { ...process.env, CUTOVER_CODEC_KEYS: keys, ...env },
    });
  await expect(run({ CUTOVER_CODEC_SERVER_OIDC_ISSUER: issuer.url })).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining(
      'CUTOVER_CODEC_SERVER_OIDC_ISSUER is set without CUTOVER_CODEC_SERVER_OIDC_AUDIENCE',
    ),
  });
  await expect(
    run({ CUTOVER_CODEC_SERVER_OIDC_ISSUER: 'http://login.example.com', CUTOVER_CODEC_SERVER_OIDC_AUDIENCE: 'x' }),
  ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('use https') });
});
