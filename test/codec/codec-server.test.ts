/** The codec server over real HTTP: the protocol, CORS for the UI's origin, the bearer token. */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { createCodecServer } from '../../infra/codec-server';
import { codecServerAuth } from '../../infra/codec-server-auth';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { parseCodecKeys } from '../../infra/codec-config';

const UI = 'http://localhost:8233';
const codec = new AesGcmPayloadCodec(parseCodecKeys(`k1:${crypto.randomBytes(32).toString('base64')}`, 'test'));
const servers: http.Server[] = [];

async function serve(token?: string): Promise<string> {
  const server = createCodecServer({ codec, origins: [UI], auth: codecServerAuth({ token }) });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

const toJson = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });

test('encode then decode through the protocol gives back the payload, also under /<namespace>/', async () => {
  const base = await serve();
  const plain = toJson(defaultPayloadConverter.toPayload({ secret: 's3cr3t' }));
  const enc = await post(`${base}/encode`, { payloads: [plain] });
  expect(enc.status).toBe(200);
  const encoded = (await enc.json()) as { payloads: any[] };
  expect(Buffer.from(encoded.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(encoded.payloads[0].data, 'base64').includes('s3cr3t')).toBe(false);
  const dec = await post(`${base}/default/decode`, encoded);
  expect(await dec.json()).toEqual({ payloads: [plain] });
});

test(
  'CORS: the UI origin gets a preflight answer with credentials ' + 'and our headers; another origin does not',
  async () => {
    const base = await serve();
    const preflight = await fetch(`${base}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/).sort()).toEqual([
      'authorization',
      'content-type',
      'x-namespace',
    ]);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const evil = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const post2 = await post(`${base}/decode`, { payloads: [] }, { origin: UI });
    expect(post2.headers.get('access-control-allow-origin')).toBe(UI);
  },
);

test('with a token, a request without the right bearer token is refused; with it, answered', async () => {
  const base = await serve('tok-123');
  const body = { payloads: [toJson(defaultPayloadConverter.toPayload('x'))] };
  expect((await post(`${base}/encode`, body)).status).toBe(401);
  expect((await post(`${base}/encode`, body, { authorization: 'Bearer wrong' })).status).toBe(401);
  expect((await post(`${base}/encode`, body, { authorization: 'Bearer tok-123' })).status).toBe(200);
  // the preflight carries no credentials and must still pass
  expect((await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: UI } })).status).toBe(204);
});

test('bad requests get a clear 4xx, never a crash', async () => {
  const base = await serve();
  const notJson = await fetch(`${base}/decode`, { method: 'POST', body: 'nope' });
  expect(notJson.status).toBe(400);
  expect(((await notJson.json()) as { message: string }).message).toMatch(/not JSON/);
  expect((await post(`${base}/decode`, { nothing: true })).status).toBe(400);
  expect((await post(`${base}/encode`, { payloads: 'x' })).status).toBe(400);
  expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
  expect((await fetch(`${base}/decode`)).status).toBe(405);
});

test(
  'a payload it cannot decrypt is answered as {"undecodable": ' + 'why}; the good payloads of the same request decode',
  async () => {
    const base = await serve();
    const good = toJson(defaultPayloadConverter.toPayload({ reason: 'window closed' }));
    const encoded = ((await (await post(`${base}/encode`, { payloads: [good] })).json()) as { payloads: any[] })
      .payloads[0];
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const unknownKey = {
      metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k0') },
      data: 'AAAA',
    };
    const altered = {
      ...encoded,
      data: Buffer.from(Buffer.from(encoded.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64'),
    };
    const res = await post(`${base}/decode`, { payloads: [unknownKey, encoded, altered] });
    expect(res.status).toBe(200);
    const [a, b, c] = ((await res.json()) as { payloads: any[] }).payloads;
    const json = (p: any) => JSON.parse(Buffer.from(p.data, 'base64').toString());
    expect(Buffer.from(a.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(json(a)).toEqual({
      undecodable: expect.stringMatching(
        /^binary\/encrypted: payload encrypted with key id "k0", which is not configured/,
      ),
    });
    expect(b).toEqual(good);
    expect(json(c).undecodable).toMatch(/^binary\/encrypted: encrypted payload \(key id "k1"\) failed authentication/);
  },
);
