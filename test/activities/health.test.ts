import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { FailureType } from '../../activities/failure-types';
import { probeHealth, waitHealthy } from '../../activities/services/health';
import { failureOf, freePort } from './helpers';

/** A real HTTP server that answers 503 to the first `sickFor` health requests, then 200. */
async function healthServer(sickFor = 0) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    const healthy = req.url === '/api/health' && requests > sickFor;
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: healthy ? 'ok' : 'starting' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // baseUrl has a path: the health path is appended to it, not resolved against the host
  const spec = { name: 'pipeline-v2', baseUrl: `http://127.0.0.1:${port}/api/`, healthPath: '/health' };
  return { spec, requests: () => requests, close: () => new Promise((r) => server.close(r)) };
}

test('a 2xx answer is healthy and carries status and parsed body', async () => {
  const s = await healthServer();
  expect(await probeHealth(s.spec)).toEqual({ healthy: true, status: 200, body: { status: 'ok' } });
  await s.close();
});

test('a non-2xx answer is unhealthy with its status', async () => {
  const s = await healthServer(1);
  expect(await probeHealth(s.spec)).toEqual({ healthy: false, status: 503, body: { status: 'starting' } });
  await s.close();
});

test('a refused connection is unhealthy with the reason', async () => {
  const port = await freePort();
  const probe = await probeHealth({ name: 'gone', baseUrl: `http://127.0.0.1:${port}` });
  expect(probe.healthy).toBe(false);
  expect(probe.error).toContain('ECONNREFUSED');
});

test('waitHealthy polls until the service answers 2xx, calling onTick for each failed probe', async () => {
  const s = await healthServer(3);
  const ticks: number[] = [];
  const probe = await waitHealthy(s.spec, 60_000, (p) => void ticks.push(p.status ?? 0));
  expect(probe.healthy).toBe(true);
  expect(ticks).toEqual([503, 503, 503]);
  await s.close();
});

test('waitHealthy heartbeats inside an activity', async () => {
  const s = await healthServer(2);
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  await env.run(waitHealthy, s.spec, 60_000, undefined);
  expect(beats).toHaveLength(2);
  expect(beats[0]).toMatchObject({ service: 'pipeline-v2', last: 'HTTP 503 {"status":"starting"}' });
  await s.close();
});

test('waitHealthy gives up with an error naming the service and the last probe', async () => {
  const port = await freePort();
  const failure = await failureOf(waitHealthy({ name: 'pipeline-v2', baseUrl: `http://127.0.0.1:${port}` }, 0));
  expect(failure.type).toBe(FailureType.ServiceUnhealthy);
  expect(failure.message).toContain(`pipeline-v2 not healthy at http://127.0.0.1:${port}/health`);
  expect(failure.message).toContain('ECONNREFUSED');
});
