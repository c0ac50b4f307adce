/**
 * The haproxy traffic driver against a real HAProxy (one per file) over its admin socket:
 * switch and drain, weights, exact undo read back with `show servers state`, persisted state,
 * clear errors for a wrong server name, and 503 + Retry-After when nobody serves.
 */
import fs from 'node:fs';
import { changeTraffic, readTrafficState, restoreTraffic } from '../../activities/traffic';
import { haproxyCommand } from '../../activities/traffic/haproxy-socket';
import { FailureType } from '../../domain/failure-types';
import { allTo, v2Share } from '../../domain/traffic-state';
import { startHaproxy, type HaproxyRouter } from '../helpers/haproxy';
import {
  freshGet,
  routerPlan,
  startVersionBackends,
  versionsSeen,
  type VersionBackends,
} from '../helpers/version-backends';
import { failureOf, tempDir } from './helpers';

let haproxy: HaproxyRouter;
let backends: VersionBackends;
const plan = (extra: Record<string, unknown> = {}) =>
  routerPlan(haproxy.dir, backends.urls, {
    driver: 'haproxy',
    socket: haproxy.socket,
    backend: 'app',
    servers: { v1: 'v1', v2: 'v2' },
    publicUrl: haproxy.publicUrl,
    persistStateFile: 'servers.state',
    stateDir: 'state',
    ...extra,
  });

beforeAll(async () => {
  backends = await startVersionBackends();
  haproxy = await startHaproxy({ ...backends.urls, v2Disabled: true }, tempDir('haproxy'));
});
afterAll(async () => {
  await haproxy?.stop();
  await backends?.close();
  fs.rmSync(haproxy.dir, { recursive: true, force: true });
});

test(
  'switch to V2: V2 ready, V1 drained, verified through HAProxy, ' + 'persisted; the undo reads back exactly as before',
  async () => {
    const loaded = plan();
    const before = (await readTrafficState(loaded))!.state;
    expect(before.servers).toEqual({ v1: 'ready', v2: 'maint' });
    const step = await changeTraffic(loaded, allTo('v2'), 'switch', { cutoverId: 'cut-1' });
    expect(step.state.servers).toEqual({ v1: 'drain', v2: 'ready' });
    expect(step.summary).toBe('V2 100%');
    expect(step.verified!.seen.v2).toBeGreaterThanOrEqual(5);
    expect(await versionsSeen(haproxy.publicUrl, 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(fs.readFileSync(haproxy.stateFile, 'utf8')).toMatch(/^\d+ app \d+ v2 127\.0\.0\.1 2 \d+ 100 /m);

    const restored = await restoreTraffic(loaded, 'cut-1');
    expect(restored!.state.fingerprint).toBe(before.fingerprint);
    expect((await readTrafficState(loaded))!.state.servers).toEqual({ v1: 'ready', v2: 'maint' });
    expect(await versionsSeen(haproxy.publicUrl, 4)).toEqual(['v1', 'v1', 'v1', 'v1']);
  },
);

test(
  'canary: V2 at 10% is a weight both servers share, seen through ' + 'HAProxy; the undo takes V2 out again',
  async () => {
    const loaded = plan();
    const step = await changeTraffic(loaded, v2Share(10), 'V2 10%', { cutoverId: 'cut-2' });
    expect(step.state.weights).toEqual({ v1: 90, v2: 10 });
    expect(await haproxyCommand(haproxy.socket, 'show servers state app')).toMatch(
      / v1 127\.0\.0\.1 2 0 90 .*\n.* v2 127\.0\.0\.1 2 4 10 /,
    );
    expect(step.verified!.seen.v2).toBeGreaterThan(0);
    await restoreTraffic(loaded, 'cut-2');
    expect((await readTrafficState(loaded))!.state.servers).toEqual({ v1: 'ready', v2: 'maint' });
  },
);

test('a server name the backend does not have is a clear, non-retryable error', async () => {
  const failure = await failureOf(readTrafficState(plan({ servers: { v1: 'v1', v2: 'blue' } })));
  expect(failure.type).toBe(FailureType.InvalidTrafficConfig);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(/traffic\.servers\.v2 "blue" is not a server of backend app \(it has: v1, v2\)/);
});

test('nobody up: HAProxy answers 503 with Retry-After, never a refused connection', async () => {
  await haproxyCommand(haproxy.socket, 'set server app/v1 state maint');
  const res = await freshGet(`${haproxy.publicUrl}/kpis`);
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  await haproxyCommand(haproxy.socket, 'set server app/v1 state ready');
});
