/**
 * The strategies' own steps on their hosts: V1 (with the backups and the router) on host A, V2 on
 * host B, each an agent process; the router an `exec` one (weights in a file on host A). A
 * blueGreen with shared data and a canary each succeed, and their history shows every host-local
 * step on its host's task queue (V2's start on B; V1's retirement, the snapshot, the switch and
 * the weights on A) and everything else on the orchestrator's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService, stopService } from '../../activities/service-control';
import { HOST_LOCAL_ACTIVITIES } from '../../worker/worker-options';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup, startWorkerProcess } from '../helpers/worker-process';
import { startCutover } from '../helpers/cutover-runner';
import { activityQueues } from '../helpers/activity-queues';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
const agents: ChildProcess[] = [];
const WEIGHTS = 'router-weights.json';
const node = (code: string, ...args: string[]) => ['node', '-e', `const fs = require('fs'); ${code}`, ...args];

beforeAll(async () => {
  env = suite.env;
  fixture = await createDemoFixture({
    mutate: (plan) => {
      plan.hostWait = '30s';
      Object.assign(plan.services.v1, { host: 'host-a', runDir: path.join(plan.workdir, 'host-a', 'run') });
      Object.assign(plan.services.v2, { host: 'host-b', runDir: path.join(plan.workdir, 'host-b', 'run') });
      plan.backup.host = 'host-a';
      plan.traffic = {
        driver: 'exec',
        host: 'host-a',
        switch: node(
          `fs.writeFileSync('${WEIGHTS}', JSON.stringify(process.argv[1] ` +
            `=== 'v1' ? { v1: 100, v2: 0 } : { v1: 0, v2: 100 }))`,
          '{role}',
        ),
        weights: node(
          `fs.writeFileSync('${WEIGHTS}', JSON.stringify({ v1: ` +
            `Number(process.argv[1]), v2: Number(process.argv[2]) }))`,
          '{v1}',
          '{v2}',
        ),
        state: node(`process.stdout.write(fs.readFileSync('${WEIGHTS}', 'utf8'))`),
      };
    },
  });
  for (const host of ['host-a', 'host-b']) {
    const runDir = path.join(fixture.workdir, host, 'run');
    fs.mkdirSync(runDir, { recursive: true });
    agents.push(await startWorkerProcess(env.address, { args: ['--host', host], env: { CUTOVER_RUN_DIR: runDir } }));
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(agents.map((a) => killGroup(a)));
  for (const role of ['v1', 'v2'] as const) await stopService(fixture.loaded(), role).catch(() => undefined);
  await fixture.cleanup();
});

const queues = activityQueues;
const expectedQueue = (type: string, role: string) => {
  if (!(HOST_LOCAL_ACTIVITIES as readonly string[]).includes(type)) return 'cutover';
  if (type === 'startService' || type === 'stopService')
    return role === '"v2"' ? 'cutover-host-host-b' : 'cutover-host-host-a';
  // Phase 0 asks each machine for its own facts (domain/host-placement.ts): V1's health is an HTTP
  // probe from the orchestrator, V2's artifact and test suite live where V2 runs
  if (type === 'checkPrerequisites' && role === '["v1Health"]') return 'cutover';
  if ((type === 'checkPrerequisites' && role === '["artifact"]') || type === 'runPlanTests')
    return 'cutover-host-host-b';
  return 'cutover-host-host-a';
};

// A team's script that only passes on host A's agent (its run folder): run anywhere else, the canary fails.
const onHostA = {
  name: 'agent_check',
  at: ['phase5'],
  command: {
    argv: ['node', '-e', 'process.exit((process.env.CUTOVER_RUN_DIR ?? ' + "'').includes('host-a') ? 0 : 1)"],
    host: 'host-a',
    passEnv: ['CUTOVER_RUN_DIR'],
  },
};
const canaryWithHostCheck = {
  strategy: 'canary',
  canary: { steps: [{ weight: 50 }, { weight: 100 }] },
  checks: [{ name: 'health', http: { path: '/health' } }, onHostA],
};

test.each([
  [
    'blueGreen',
    { strategy: 'blueGreen', blueGreen: { bakeTime: '1s', sharedData: true } },
    ['backupForCutover', 'switchTraffic'],
  ],
  [
    'canary with a command check on host A',
    canaryWithHostCheck,
    ['setTrafficWeights', 'canaryAnalysis', 'runHostChecks'],
  ],
  [
    'canary',
    { strategy: 'canary', canary: { steps: [{ weight: 50 }, { weight: 100 }] } },
    ['setTrafficWeights', 'canaryAnalysis'],
  ],
])(
  '%s: every service, backup and router step on its host',
  async (_name, strategy, own) => {
    await stopService(fixture.loaded(), 'v2');
    await startService(fixture.loaded(), 'v1');
    fs.writeFileSync(path.join(fixture.workdir, WEIGHTS), JSON.stringify({ v1: 100, v2: 0 }));
    const handle = await startCutover(env.client, { ...fixture.plan, ...strategy }, { autoApprove: true });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(`${view.status} ${view.message}`).toMatch(/^SUCCESS/);
    expect(JSON.parse(fs.readFileSync(path.join(fixture.workdir, WEIGHTS), 'utf8'))).toEqual({ v1: 0, v2: 100 });
    const steps = await queues(handle);
    expect(steps.map((s) => `${s.type} ${s.role} → ${s.queue}`)).toEqual(
      steps.map((s) => `${s.type} ${s.role} → ${expectedQueue(s.type, s.role)}`),
    );
    // the strategy's own steps are there: V2 started on B, V1 retired on A, and its router/backup steps
    expect(
      steps
        .filter((s) => s.type === 'startService' && s.role === '"v2"')
        .every((s) => s.queue === 'cutover-host-host-b'),
    ).toBe(true);
    expect(steps.some((s) => s.type === 'stopService' && s.role === '"v1"' && s.queue === 'cutover-host-host-a')).toBe(
      true,
    );
    for (const type of own) expect(steps.some((s) => s.type === type)).toBe(true);
  },
  300_000,
);
