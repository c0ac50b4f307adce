/**
 * The load generator's verdicts against raw TCP servers that misbehave on purpose: only a reset
 * on a REUSED connection before any byte of the answer is resent (on a fresh connection) and
 * counted apart; a reset on a fresh connection or in the middle of an answer is a failure.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { failedTotal, startLoad } from '../../bench/load-generator';

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"version":"1"}';

/** `answer(n, socket)`: what to do with the n-th request (1-based) on a connection. */
async function rawServer(
  answer: (n: number, socket: net.Socket) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let n = 0;
    let buffered = '';
    socket.on('data', (d) => {
      buffered += d.toString();
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        answer(++n, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
    close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

const load = (url: string, maxRequests: number) =>
  startLoad({ url, rate: 100, connections: 1, maxRequests, maxSeconds: 60 }).bounded();

test(
  'a reused connection reset before any answer byte (a server ' +
    'closing it idle): resent on a fresh connection, not a failure',
  async () => {
    // the second request on every connection meets a reset: what an nginx reload does to an idle keep-alive connection
    const server = await rawServer((n, s) => (n === 1 ? s.write(OK) : s.resetAndDestroy()));
    try {
      const r = await load(server.url, 4);
      expect(failedTotal(r)).toBe(0);
      expect(r.ok).toBe(4);
      expect(r.resentAfterIdleClose).toBe(2);
      expect(r.events).toEqual([
        expect.objectContaining({ outcome: 'resent', reused: true, answerBytes: 0, code: 'ECONNRESET' }),
        expect.objectContaining({ outcome: 'resent', reused: true, answerBytes: 0 }),
      ]);
    } finally {
      await server.close();
    }
  },
);

test('a reset on a fresh connection is a failure, never resent', async () => {
  const server = await rawServer((_n, s) => s.resetAndDestroy());
  try {
    const r = await load(server.url, 2);
    expect(r.failed.reset).toBe(2);
    expect(r.resentAfterIdleClose).toBe(0);
    expect(r.events.map((e) => [e.outcome, e.reused, e.answerBytes])).toEqual([
      ['reset', false, 0],
      ['reset', false, 0],
    ]);
  } finally {
    await server.close();
  }
});

test('a reset in the middle of an answer is a failure, on a fresh or a reused connection', async () => {
  const partial = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"ver';
  // first request: half an answer; on the next connection: one whole answer, then half of the second
  let connection = 0;
  const server = await rawServer((n, s) => {
    if (n === 1) connection++;
    if (connection === 2 && n === 1) return void s.write(OK);
    s.write(partial, () => setImmediate(() => s.resetAndDestroy()));
  });
  try {
    const r = await load(server.url, 3);
    expect(r.ok).toBe(1);
    expect(r.failed.reset).toBe(2);
    expect(r.resentAfterIdleClose).toBe(0);
    expect(r.events.map((e) => [e.outcome, e.reused, e.answerBytes > 0])).toEqual([
      ['reset', false, true],
      ['reset', true, true],
    ]);
  } finally {
    await server.close();
  }
});
