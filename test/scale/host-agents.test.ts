/**
 * Host-bound task queues: V1 (and the backups, and the traffic pointer) on host A, V2 on host B,
 * each host an agent process with its own run folder, the workflows on an orchestration worker.
 * Every host-local step runs on its host's queue (asserted from history): Phase 0's facts where
 * they are, V2's test suite on host B, a command check on its own host (A) and one on V2's (B),
 * each script saying which agent's run folder it saw. Host B's agent killed
 * mid-Phase 4: V2's start waits `hostWait`, then fails naming the host; the rollback's stop of V2
 * waits for host B (and `cutover status` says so); host B's agent back, the rollback finishes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import type { ValidationResult } from '../../workflows/validation';
import { startService, stopService } from '../../activities/service-control';
import { HOST_LOCAL_ACTIVITIES } from '../../worker/worker-options';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup, startWorkerProcess } from '../helpers/worker-process';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { hostWaitLines } from '../../client/render-host-wait';
import { activityQueues } from '../helpers/activity-queues';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
const agents: ChildProcess[] = [];
const runDirOf = (workdir: string, host: string) => path.join(workdir, host, 'run');
/** A command check that answers the run folder of the agent running it (CUTOVER_RUN_DIR) and FAILs on another. */
const whereAmI = (workdir: string, name: string, host: string, own?: string) => ({
  name,
  at: ['shadow'],
  command: {
    argv: ['node', '-e', 'console.log(JSON.stringify({ runDir: process.env.CUTOVER_RUN_DIR }))'],
    stdoutJson: true,
    passEnv: ['CUTOVER_RUN_DIR'],
    ...(own ? { host: own } : {}),
  },
  fail: `result.value.runDir != "${runDirOf(workdir, host)}"`,
});
const agent = async (host: string) => {
  const runDir = runDirOf(fixture.workdir, host);
  fs.mkdirSync(runDir, { recursive: true });
  const child = await startWorkerProcess(env.address, { args: ['--host', host], env: { CUTOVER_RUN_DIR: runDir } });
  agents.push(child);
  return child;
};
beforeAll(async () => {
  env = suite.env;
  fixture = await createDemoFixture({
    mutate: (plan) => {
      plan.hostWait = '8s';
      Object.assign(plan.services.v1, { host: 'host-a', runDir: path.join(plan.workdir, 'host-a', 'run') });
      Object.assign(plan.services.v2, { host: 'host-b', runDir: path.join(plan.workdir, 'host-b', 'run') });
      plan.backup.host = 'host-a';
      plan.traffic.host = 'host-a';
      // one with its own host, one on V2's host, one the orchestrator runs: one shadow report
      plan.checks = [
        whereAmI(plan.workdir, 'on_host_a', 'host-a', 'host-a'),
        whereAmI(plan.workdir, 'on_v2_host', 'host-b'),
        { name: 'v2_up', at: ['shadow'], http: { path: '/health' } },
      ];
    },
  });
  await startService(fixture.loaded(), 'v1');
}, 60_000);
afterAll(async () => {
  await Promise.all(agents.map((a) => killGroup(a)));
  // The services' pid files are in the hosts' run folders, which the fixture's cleanup does not look in.
  for (const role of ['v1', 'v2'] as const) await stopService(fixture.loaded(), role).catch(() => undefined);
  await fixture.cleanup();
});

const queues = activityQueues;
const [A, B] = ['cutover-host-host-a', 'cutover-host-host-b'];
const expectedQueue = ({ type, role, names }: { type: string; role: string; names: string }) => {
  if (!(HOST_LOCAL_ACTIVITIES as readonly string[]).includes(type)) return 'cutover';
  if (type === 'startService' || type === 'stopService') return role === '"v2"' ? B : A;
  // Phase 0: backup paths and disk on the backup's host, the artifact on V2's, V1's health (HTTP) from the orchestrator
  if (type === 'checkPrerequisites')
    return ({ '["v1Health"]': 'cutover', '["backup"]': A, '["artifact"]': B } as Record<string, string>)[role];
  if (type === 'runPlanTests') return B;
  if (type === 'runHostChecks') return ({ '["on_host_a"]': A, '["on_v2_host"]': B } as Record<string, string>)[names];
  return A; // backups and the traffic pointer live on host A
};

test(
  'each step runs on its host; host B lost mid-Phase 4 → wait, ' +
    'fail, a rollback that waits for host B and finishes when it is back',
  async () => {
    await agent('host-a');
    const hostB = await agent('host-b');
    const handle = await startCutover(env.client, fixture.plan, { autoApprove: true, holdBefore: ['phase4'] });
    const held = await waitForStatus(
      handle,
      (v) => v.heldBefore === 'phase4' || !['RUNNING', 'AWAITING_APPROVAL'].includes(v.status),
    );
    expect(held.message).toMatch(/held before phase4/);
    expect(held.phases.find((p) => p.id === 'phase0')!.message).toBe('4 prerequisites met'); // 2 on host A, 1 on host B, 1 here
    // the shadow report holds the hosts' outcomes in plan order beside the orchestrator's own
    expect(held.phases.find((p) => p.id === 'phase2')!.message).toMatch(
      /shadow run: PASS: on_host_a PASS \(.*\), on_v2_host PASS \(.*\), v2_up PASS/,
    );
    await killGroup(hostB);
    await handle.signal('resume', { phase: 'phase4' });

    // V2's start waits hostWait (8 s) for host B, fails naming it, and the rollback begins by stopping V2 — on host B.
    const rolling = await waitForStatus(handle, (v) => v.status === 'ROLLING_BACK');
    expect(rolling.phases.find((p) => p.id === 'phase4')!.message).toMatch(
      /waited 8s for host host-b and no agent picked up "Start V2 \(loans-v2\) and wait until healthy": start its agent on that machine \(scripts\/worker.sh --host host-b\)/,
    );
    const rollback = env.client.workflow.getHandle(rolling.rollback!.workflowId);
    // What `cutover status` prints under the phases for the cutover's rollback (an in-process call:
    // a CLI subprocess run synchronously would block this process's worker that answers its query).
    let status: string[] = [];
    while (!status.some((l) => /waiting for host host-b: Stop V2 \[host host-b\] not picked up for \d+ s/.test(l))) {
      status = await hostWaitLines(rollback).catch(() => []); // the child may not have started yet
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(status.join('\n')).toContain('is its agent running? (scripts/worker.sh --host host-b on that machine)');
    await agent('host-b');
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('ROLLED_BACK');
    expect(await isUp(fixture.urls.v1)).toBe(true);
    expect(await isUp(fixture.urls.v2)).toBe(false);

    // From history: every host-local step on its host's queue, everything else on the orchestrator's.
    const steps = [...(await queues(handle)), ...(await queues(rollback))];
    expect(steps.map((s) => `${s.type} ${s.role} ${s.names} → ${s.queue}`)).toEqual(
      steps.map((s) => `${s.type} ${s.role} ${s.names} → ${expectedQueue(s)}`),
    );
    // (the traffic switch never ran: Phase 4 failed before it, so the rollback had none to undo)
    for (const type of [
      'stopService',
      'startService',
      'backupForCutover',
      'pruneOldBackups',
      'restoreBackupArchive',
      'runPlanTests',
    ])
      expect(steps.some((s) => s.type === type)).toBe(true);
    expect(
      steps
        .filter((s) => s.type === 'checkPrerequisites')
        .map((s) => s.queue)
        .sort(),
    ).toEqual([A, B, 'cutover'].sort());
    expect(steps.filter((s) => s.type === 'runHostChecks').map((s) => s.queue)).toEqual([A, B]);
    expect(steps.some((s) => s.queue === 'cutover-host-host-b')).toBe(true);
  },
  300_000,
);

test(
  'a command check whose host has no agent is inconclusive after ' +
    'hostWait, naming the host; the rest of the validation runs',
  async () => {
    const plan = {
      ...fixture.plan,
      name: `${fixture.plan.name}-nowhere`,
      hostWait: '2s',
      checks: [
        { name: 'team_script', at: ['schedule'], command: { argv: ['true'], host: 'gone-host' } },
        { name: 'v1_up', at: ['schedule'], http: { path: '/health' } },
      ],
    };
    const handle = await env.client.workflow.start('validationWorkflow', {
      taskQueue: 'cutover',
      workflowId: `host-agents-nowhere-${process.pid}`,
      args: [{ plan, target: 'v1' }],
    });
    const { report } = (await handle.result().catch(viewOrThrow)) as ValidationResult;
    expect(report.outcomes!.map((o) => `${o.name} ${o.status}`)).toEqual(['team_script WARN', 'v1_up PASS']);
    expect(report.outcomes![0]!.inconclusive).toMatch(
      /^could not run on host gone-host: waited 2s for host gone-host and no agent picked up "Command checks team_script of V1 \(schedule\)": start its agent on that machine \(scripts\/worker\.sh --host gone-host\)/,
    );
    expect((await queues(handle)).map((s) => `${s.type} → ${s.queue}`)).toEqual(
      expect.arrayContaining(['runHostChecks → cutover-host-gone-host', 'productionValidation → cutover']),
    );
  },
  120_000,
);

// Uses the two agents the first test leaves running (host A's, host B's restarted one).
test(
  'Phase 0 asks each machine for its own facts at once and tells ' +
    "every machine's failures together: ABORTED, nothing changed",
  async () => {
    const plan = {
      ...fixture.plan,
      name: `${fixture.plan.name}-unmet`,
      backup: { ...fixture.plan.backup, paths: ['data', 'not-here'] },
      services: { ...fixture.plan.services, v2: { ...fixture.plan.services.v2, artifact: 'no-such.tar' } },
    };
    const handle = await startCutover(env.client, plan, { autoApprove: true });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('ABORTED');
    expect(view.message).toMatch(
      /^failed before anything changed: on host host-a: prerequisites not met: backup path not-here \(.*not-here\); on host host-b: prerequisites not met: V2 artifact present \(.*no-such\.tar\) \[PrerequisiteFailed\]; V1 untouched and serving$/,
    );
    expect(
      (await queues(handle))
        .filter((s) => s.type === 'checkPrerequisites')
        .map((s) => s.queue)
        .sort(),
    ).toEqual(['cutover', 'cutover-host-host-a', 'cutover-host-host-b']);
  },
  120_000,
);
