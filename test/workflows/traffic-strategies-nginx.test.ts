/**
 * The strategies on the dev server with the real demo pipeline behind one real nginx (shared by
 * the file; the operator's include written back before each test): blueGreen and canary succeed
 * through it; a failure at a canary step and a failure after the cutover's switch both give back
 * the operator's include byte for byte; an include `nginx -t` rejects fails the cutover before
 * V1 is touched. HAProxy's twin: traffic-strategies.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService, stopService } from '../../activities/service-control';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { startNginx, upstreamBlock, type NginxRouter } from '../helpers/nginx';
import { versionsSeen } from '../helpers/version-backends';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
let nginx: NginxRouter;
let operatorInclude: string;

const plan = (extra: Record<string, unknown>): Record<string, any> => ({ ...structuredClone(fixture.plan), ...extra });
const include = () => fs.readFileSync(nginx.include, 'utf8');
const v1Pid = () => fs.readFileSync(path.join(fixture.workdir, 'run', 'loans-v1.pid'), 'utf8').trim();

beforeAll(async () => {
  env = suite.env;
  fixture = await createDemoFixture();
  const dir = path.join(fixture.workdir, 'nginx');
  fs.mkdirSync(dir, { recursive: true });
  // written by "the operator": the undo must give back these bytes, not a re-rendering
  operatorInclude = `# operator's upstream\n${upstreamBlock([new URL(fixture.urls.v1).host], 'cutover_upstream', ['keepalive 8'])}`;
  nginx = await startNginx(operatorInclude, dir);
  fixture.plan.traffic = {
    driver: 'nginx',
    config: nginx.config,
    include: nginx.include,
    publicUrl: nginx.publicUrl,
    stateDir: 'traffic-state',
    verify: { timeout: '20s' },
  };
});
afterAll(async () => {
  await nginx?.stop();
  await fixture?.cleanup();
});
// The starting point of every cutover: V1 serving through nginx, V2 stopped.
beforeEach(async () => {
  const loaded = fixture.loaded();
  await stopService(loaded, 'v2');
  await startService(loaded, 'v1');
  if (include() !== operatorInclude) {
    fs.writeFileSync(nginx.include, operatorInclude);
    process.kill(nginx.child.pid!, 'SIGHUP');
  }
  await waitForV1();
});

async function waitForV1() {
  for (let i = 0; i < 100; i++) {
    if ((await versionsSeen(nginx.publicUrl, 3).catch(() => [])).join() === 'v1,v1,v1') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx does not serve V1: ${nginx.log().slice(-500)}`);
}

test(
  'blueGreen through nginx: switch verified, operator directives ' + 'kept, V1 warm through the bake then stopped',
  async () => {
    const view = (await (
      await startCutover(env.client, plan({ strategy: 'blueGreen', blueGreen: { bakeTime: '2s' } }), {
        autoApprove: true,
      })
    )
      .result()
      .catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('SUCCESS');
    expect(view.traffic!.steps.map((s) => `${s.label}: ${s.summary}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/V2 100%$/)]),
    );
    expect(include()).toMatch(/keepalive 8;/);
    expect(include()).toContain(`server ${new URL(fixture.urls.v2).host}`);
    expect(await versionsSeen(nginx.publicUrl, 3)).toEqual(['v2', 'v2', 'v2']);
    expect(await isUp(fixture.urls.v1)).toBe(false);
  },
);

test('canary through nginx: a FAIL at step 2 gives back the operator include byte for byte, V1 serving', async () => {
  const handle = await startCutover(
    env.client,
    plan({ strategy: 'canary', canary: { steps: [{ weight: 20 }, { weight: 50, pause: '30s' }, { weight: 100 }] } }),
    { autoApprove: true },
  );
  await waitForStatus(handle, (v) => /canary step 2\/3 .*pausing/.test(v.message));
  expect(include()).toMatch(/weight=/);
  // V2 drifts while it takes half the traffic: step 2's checks against V1 live fail
  await fetch(`${fixture.urls.v2}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kpiDrift: { kpi: 'par30', relative: 0.05 } }),
  });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(view.message).toMatch(/canary step 2\/3 \(V2 50%\): V2 worse than V1 live: kpi_calculations: par30 off by/);
  expect(include()).toBe(operatorInclude);
  expect(await versionsSeen(nginx.publicUrl, 3)).toEqual(['v1', 'v1', 'v1']);
  expect(await isUp(fixture.urls.v2)).toBe(false);
});

test('cutover through nginx: a failure after the switch gives back the operator include byte for byte', async () => {
  const handle = await startCutover(env.client, plan({}), { autoApprove: true, holdBefore: ['phase5'] });
  const held = await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
  expect(held.phases.find((x) => x.id === 'phase4')!.message).toMatch(/nobody served for \d+\.\d s/);
  expect(await versionsSeen(nginx.publicUrl, 3)).toEqual(['v2', 'v2', 'v2']);
  await fetch(`${fixture.urls.v2}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kpiDrift: { kpi: 'par30', relative: 0.05 } }),
  });
  await handle.signal('resume', { phase: 'phase5' });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ROLLED_BACK');
  expect(include()).toBe(operatorInclude);
  expect(await versionsSeen(nginx.publicUrl, 3)).toEqual(['v1', 'v1', 'v1']);
});

test(
  'an include nginx -t rejects fails the cutover before V1 is ' + 'touched: include as it was, V1 serving throughout',
  async () => {
    const pidBefore = v1Pid();
    // an upstream name the config's proxy_pass does not use: `nginx -t` says "host not found in upstream"
    const p = plan({});
    p.traffic = { ...p.traffic, upstream: 'misnamed' };
    const view = (await (
      await startCutover(env.client, p, { autoApprove: true })
    )
      .result()
      .catch(viewOrThrow)) as CutoverView;
    expect(view.status).not.toBe('SUCCESS');
    expect(view.message).toMatch(/nginx rejected the new upstream/);
    expect(include()).toBe(operatorInclude);
    expect(v1Pid()).toBe(pidBefore);
    expect(await versionsSeen(nginx.publicUrl, 3)).toEqual(['v1', 'v1', 'v1']);
  },
);
