/**
 * The codec server behind a real nginx with `auth_request` (the setup the docs give for a Web UI
 * without a login of its own): nginx asks the sign-in service about each request's session and
 * passes the session's access token on, which the real `cutover codec-server` verifies against
 * the test issuer's JWKS. No session: refused at nginx; a session: decoded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { parseCodecKeys } from '../../infra/codec-config';
import type { RouterProcess } from '../helpers/router-process';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer';
import { SESSION_COOKIE, startCodecProxy, startSignInService, type SignInService } from '../helpers/codec-proxy';
import { newKeys, startCodecServer, type CodecServerProcess } from './codec-helpers';

const AUDIENCE = 'temporal-ui';
const keys = newKeys();
let issuer: TestIssuer;
let signIn: SignInService;
let codecServer: CodecServerProcess;
let ui: http.Server;
let proxy: RouterProcess;
let encrypted: unknown;

beforeAll(async () => {
  issuer = await startTestIssuer();
  signIn = await startSignInService(issuer, AUDIENCE, 'alice');
  codecServer = await startCodecServer(keys, [], {
    CUTOVER_CODEC_SERVER_OIDC_ISSUER: issuer.url,
    CUTOVER_CODEC_SERVER_OIDC_AUDIENCE: AUDIENCE,
  });
  // what stands behind "/" here is not under test: a page that says it is the UI
  ui = http.createServer((_req, res) => res.end('the web ui'));
  await new Promise<void>((resolve) => ui.listen(0, '127.0.0.1', resolve));
  proxy = await startCodecProxy({
    signIn: signIn.url,
    codec: codecServer.url,
    ui: `http://127.0.0.1:${(ui.address() as AddressInfo).port}`,
  });
  const [payload] = await new AesGcmPayloadCodec(parseCodecKeys(keys, 'test')).encode([
    defaultPayloadConverter.toPayload({ secret: 'behind-nginx' }),
  ]);
  encrypted = {
    metadata: Object.fromEntries(
      Object.entries(payload!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
    ),
    data: Buffer.from(payload!.data!).toString('base64'),
  };
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await codecServer?.stop();
  await new Promise((r) => ui?.close(r));
  await signIn?.close();
  await issuer?.close();
});

const decode = (headers: Record<string, string> = {}) =>
  fetch(`${proxy.publicUrl}/codec/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify({ payloads: [encrypted] }),
    redirect: 'manual',
  });

test('without a session nginx refuses the codec request, and sends a page of the UI to sign-in', async () => {
  expect((await decode()).status).toBe(401);
  expect((await decode({ cookie: `${SESSION_COOKIE}=0123456789abcdef` })).status).toBe(401);
  const page = await fetch(`${proxy.publicUrl}/namespaces/default/workflows`, { redirect: 'manual' });
  expect(page.status).toBe(302);
  expect(page.headers.get('location')).toMatch(/\/oauth2\/start\?rd=\/namespaces\/default\/workflows$/);
});

test("with a session it decodes: nginx passes the session's access token, the codec server verifies it", async () => {
  const res = await decode({ cookie: `${SESSION_COOKIE}=${signIn.newSession('alice')}` });
  expect(res.status).toBe(200);
  const { payloads } = (await res.json()) as { payloads: { data: string }[] };
  expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toBe('{"secret":"behind-nginx"}');
  // the sign-in flow a browser follows ends with a cookie that opens the UI
  const start = await fetch(`${proxy.publicUrl}/oauth2/start?rd=/namespaces`, { redirect: 'manual' });
  expect(start.headers.get('location')).toBe('/namespaces');
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  expect(await (await fetch(`${proxy.publicUrl}/namespaces`, { headers: { cookie } })).text()).toBe('the web ui');
});

test('a header the client sends does not get past nginx: the codec server sees only the proxy-set token', async () => {
  const session = signIn.newSession('alice');
  // a forged Authorization header is replaced by nginx's proxy_set_header: still decodes with the session
  const forged = await decode({ cookie: `${SESSION_COOKIE}=${session}`, authorization: 'Bearer forged' });
  expect(forged.status).toBe(200);
  // and the codec server itself, reached around nginx, refuses a request without a token of the issuer
  const direct = await fetch(`${codecServer.url}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer forged' },
    body: JSON.stringify({ payloads: [encrypted] }),
  });
  expect(direct.status).toBe(401);
  expect(((await direct.json()) as { message: string }).message).toMatch(/not a JWT/);
});
