/**
 * The nginx traffic driver against a real nginx (one per file): switch, verify through the
 * router, exact undo read back, canary weights, a config `nginx -t` rejects changing nothing, the
 * operator's upstream directives kept, and switches under steady load failing no request.
 */
import fs from 'node:fs';
import { changeTraffic, readTrafficState, restoreTraffic, trafficDriverFor } from '../../activities/traffic';
import { FailureType } from '../../domain/failure-types';
import { allTo, v2Share } from '../../domain/traffic-state';
import { startNginx, upstreamBlock, type NginxRouter } from '../helpers/nginx';
import {
  freshGet,
  routerPlan,
  startVersionBackends,
  versionsSeen,
  type VersionBackends,
} from '../helpers/version-backends';
import { failedTotal, startLoad } from '../../bench/load-generator';
import { failureOf, tempDir } from './helpers';

let nginx: NginxRouter;
let backends: VersionBackends;
let before: string;
const plan = (extra: Record<string, unknown> = {}) =>
  routerPlan(nginx.dir, backends.urls, {
    driver: 'nginx',
    config: nginx.config,
    include: nginx.include,
    publicUrl: nginx.publicUrl,
    stateDir: 'state',
    ...extra,
  });
const answers = (n: number) => versionsSeen(nginx.publicUrl, n);

beforeAll(async () => {
  backends = await startVersionBackends();
  // hand-written by "the operator": the undo must give back these bytes, not a re-rendering
  before = `# operator's upstream\n${upstreamBlock([new URL(backends.urls.v1).host], 'cutover_upstream', ['keepalive 8'])}`;
  nginx = await startNginx(before, tempDir('nginx'));
});
afterAll(async () => {
  await nginx?.stop();
  await backends?.close();
  fs.rmSync(nginx.dir, { recursive: true, force: true });
});

test(
  'switch to V2: include replaced, previous kept, verified ' + 'through nginx; the undo gives back the exact bytes',
  async () => {
    const loaded = plan();
    expect((await readTrafficState(loaded))!.state.weights).toEqual({ v1: 1, v2: 0 });
    const step = await changeTraffic(loaded, allTo('v2'), 'switch', { cutoverId: 'cut-1' });
    expect(step.state.weights).toEqual({ v1: 0, v2: 100 });
    expect(step.summary).toBe('V2 100%');
    expect(step.verified!.seen).toEqual({ v2: expect.any(Number) });
    expect(fs.readFileSync(`${nginx.include}.previous`, 'utf8')).toBe(before);
    // the switch changed the servers, not the operator's upstream keep-alive
    expect(fs.readFileSync(nginx.include, 'utf8')).toMatch(
      /^ {4}keepalive 8;\n {4}server \S+ weight=100 max_fails=0; # v2\n}/m,
    );
    expect(await answers(3)).toEqual(['v2', 'v2', 'v2']);

    const restored = await restoreTraffic(loaded, 'cut-1');
    expect(fs.readFileSync(nginx.include, 'utf8')).toBe(before);
    expect(restored!.state.raw).toBe(before);
    expect(await answers(3)).toEqual(['v1', 'v1', 'v1']);
  },
);

test('canary weights: V2 10% then 0, each read back from the include and seen through nginx', async () => {
  const loaded = plan();
  const step = await changeTraffic(loaded, v2Share(10), 'V2 10%', { cutoverId: 'cut-2' });
  expect(step.state.weights).toEqual({ v1: 90, v2: 10 });
  expect(step.verified!.seen.v1).toBeGreaterThan(0);
  expect(step.verified!.seen.v2).toBeGreaterThan(0);
  const twenty = await answers(20);
  expect(twenty.filter((v) => v === 'v2')).toHaveLength(2);
  await restoreTraffic(loaded, 'cut-2');
  expect(fs.readFileSync(nginx.include, 'utf8')).toBe(before);
});

test('a config nginx -t rejects fails before anything changed: include as it was, V1 serving', async () => {
  // an upstream name the config's proxy_pass does not use: `nginx -t` says "host not found in upstream"
  const loaded = plan({ upstream: 'misnamed' });
  const failure = await failureOf(changeTraffic(loaded, allTo('v2'), 'switch', { cutoverId: 'cut-3' }));
  expect(failure.type).toBe(FailureType.RouterConfigRejected);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(
    /nginx rejected the new upstream .*host not found in upstream.*previous include is back/,
  );
  expect(fs.readFileSync(nginx.include, 'utf8')).toBe(before);
  expect(await answers(3)).toEqual(['v1', 'v1', 'v1']);
});

test('a switch whose answers never come from the new version fails the step (rollback follows)', async () => {
  const loaded = plan({ verify: { values: { v1: 'v1', v2: 'not-what-v2-says' }, timeout: '2s' } });
  const failure = await failureOf(changeTraffic(loaded, allTo('v2'), 'switch', { cutoverId: 'cut-4' }));
  expect(failure.type).toBe(FailureType.TrafficNotVerified);
  expect(failure.message).toMatch(/did not answer from V2 within 2s .*last: 200 from other/);
  await restoreTraffic(loaded, 'cut-4');
  expect(await answers(2)).toEqual(['v1', 'v1']);
});

test(
  'nobody up: nginx answers 503 with Retry-After from its ' + 'maintenance location, never a refused connection',
  async () => {
    const driver = trafficDriverFor(plan());
    const now = await driver.read();
    await driver.restore({ ...now, raw: upstreamBlock(['127.0.0.1:1']) });
    const res = await freshGet(`${nginx.publicUrl}/kpis`);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
  },
);

test(
  'switches under steady keep-alive load: no failed request ' +
    '(connections a reload closed idle are resent, counted apart)',
  async () => {
    const loaded = plan();
    const driver = trafficDriverFor(loaded);
    await driver.restore({ ...(await driver.read()), raw: before });
    const load = startLoad({ url: `${nginx.publicUrl}/health`, rate: 100, connections: 4, maxSeconds: 120 });
    // four reloads, each waited for (old workers gone) and verified through nginx
    for (const [i, role] of (['v2', 'v1', 'v2', 'v1'] as const).entries())
      await changeTraffic(loaded, allTo(role), 'switch', { cutoverId: `cut-load-${i}` });
    await restoreTraffic(loaded, 'cut-load-0');
    const report = await load.stop();
    expect(report.events.filter((e) => e.outcome !== 'resent')).toEqual([]);
    expect(failedTotal(report)).toBe(0);
    expect(report.ok).toBe(report.requests);
    // every resend was a reused connection closed before any byte of its answer
    for (const e of report.events)
      expect(e).toMatchObject({ outcome: 'resent', reused: true, answerBytes: 0, resend: false });
  },
);
