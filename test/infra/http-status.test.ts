/**
 * httpStatus, the sentinel's status-only GET: the status of any answer, `undefined` when none
 * came (refused, timed out, not an http URL), the base path kept, connections reused.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../helpers/demo-fixture';
import { httpStatus, joinUrl } from '../../infra/http-client';

let server: http.Server;
let base: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/api/ok') return res.end('x'.repeat(100_000)); // a body to drain
    if (req.url === '/api/hang') return; // never answers
    res.statusCode = 404;
    res.end('no');
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

test('gives the status of any answer under the base path, and reuses its connections', async () => {
  expect(await httpStatus(joinUrl(base, '/ok'))).toBe(200);
  expect(await httpStatus(joinUrl(base, '/missing'))).toBe(404);
  const before = sockets.size;
  for (let i = 0; i < 5; i++) expect(await httpStatus(joinUrl(base, '/ok'))).toBe(200);
  expect(sockets.size).toBe(before);
});

test('no answer is undefined, never a throw: refused, timed out, not an http URL', async () => {
  expect(await httpStatus(`http://127.0.0.1:${await freePort()}/x`)).toBeUndefined();
  expect(await httpStatus(joinUrl(base, '/hang'), { timeoutMs: 200 })).toBeUndefined();
  expect(await httpStatus('ftp://127.0.0.1/x')).toBeUndefined();
  expect(await httpStatus('not a url')).toBeUndefined();
});
