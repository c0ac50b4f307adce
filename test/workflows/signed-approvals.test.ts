/**
 * Signed votes end to end on the real dev server: a plan with approvals.requireSignatures, a
 * cutover held at the gate, votes signed by the real ssh-keygen (a key file, and a key that only
 * lives in a real ssh-agent), sent through the real CLI and through the signal the UI uses.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { QueryNotRegisteredError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverInput, CutoverView } from '../../domain/cutover-model';
import type { GateInfo } from '../../domain/signed-vote';
import { voteStatement } from '../../domain/signed-vote';
import { parsePublicKey } from '../../domain/approval-signature';
import { startService } from '../../activities/service-control';
import { cutoverAt } from '../helpers/cutover-cli';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { ENDED, startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { startMonitoring } from '../helpers/after-cutover';
import type { MonitoringView } from '../../domain/monitoring-model';
import { makeKeyDir, signStart, sshSignSync, type TestKey } from '../helpers/ssh-keys';
import { viewOrThrow } from '../../domain/outcome';
import { waitFor } from '../helpers/wait-for';

const suite = devServerWithWorker();
const keys = makeKeyDir();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
let agent: ChildProcess;
const agentSocket = path.join(keys.dir, 'agent.sock');
const k: Record<'alice' | 'bob' | 'starter' | 'carol', TestKey> = {} as never;
/** bob's public key alone, in a folder without the private key: signing must go through the agent */
let bobPubOnly: string;

const run = (
  file: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: REPO, timeout: 90_000, env: { ...process.env, ...extraEnv } },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode ?? (err as { code?: number } | null)?.code ?? null, stdout, stderr }),
    );
  });
const cutover = (args: string[], extraEnv: Record<string, string> = {}) => cutoverAt(env.address, args, extraEnv);

beforeAll(async () => {
  env = suite.env;
  for (const name of ['alice', 'bob', 'starter', 'carol'] as const) k[name] = keys.key(name);
  bobPubOnly = path.join(keys.dir, 'pub-only', 'bob.pub');
  fs.mkdirSync(path.dirname(bobPubOnly));
  fs.copyFileSync(`${k.bob.file}.pub`, bobPubOnly);
  agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  while (!fs.existsSync(agentSocket)) await new Promise((r) => setTimeout(r, 50));
  const added = await run('ssh-add', [k.bob.file], { SSH_AUTH_SOCK: agentSocket });
  expect(added.code).toBe(0);
});
afterAll(() => {
  agent?.kill();
  keys.cleanup();
});
/** The demo plan with signatures required and every approver's key listed. */
async function signedFixture(more: (plan: Record<string, any>) => void = () => undefined) {
  fixture = await createDemoFixture({
    mutate: (plan) => {
      plan.approvals.approvers.engineering.push('starter');
      plan.approvals.requireSignatures = true;
      // signed votes and auto-approve exclude each other (plan check)
      plan.approvals.allowAutoApprove = false;
      plan.approvals.keys = Object.fromEntries(Object.entries(k).map(([name, key]) => [name, key.publicKey]));
      more(plan);
    },
  });
}
afterEach(() => fixture.cleanup());

/** A cutover of the fixture's plan started as `cutover start --as starter --key` starts it. */
function startSigned(input: Partial<CutoverInput>) {
  const workflowId = uniqueId('cutover-test');
  const startSignature = signStart(k.starter.file, { workflowId, plan: fixture.loaded(), startedBy: 'starter' });
  return startCutover(env.client, fixture.plan, { ...input, startSignature }, workflowId);
}

/** A status of AWAITING_APPROVAL comes a moment before the gate opens (the notification goes first). */
async function openGate(handle: WorkflowHandle): Promise<GateInfo> {
  return waitFor(`${handle.workflowId}'s gate to open`, async () => {
    // Not registered until the plan is loaded; no gate until it opens.
    const gate = await handle.query<GateInfo>('approvalGate').catch((err: unknown) => {
      if (err instanceof QueryNotRegisteredError) return undefined;
      throw err;
    });
    if (gate?.gate) return gate;
    const { status, message } = await handle.query<{ status: string; message?: string }>('status');
    if (ENDED.includes(status))
      throw new Error(`${handle.workflowId} ended ${status} before its gate opened: ${message}`);
    return undefined;
  });
}

const rejected = async (handle: WorkflowHandle, vote: object, reason: RegExp) => {
  const err: any = await handle.executeUpdate('approve', { args: [vote] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(err.cause.message).toMatch(reason);
};

test(
  'unsigned and wrongly signed votes are rejected; signed votes ' +
    'of two approvers open the gate; the starter still may not ' +
    'approve alone',
  async () => {
    await signedFixture();
    await startService(fixture.loaded(), 'v1');
    const handle = await startSigned({ holdBefore: ['phase1'] });
    await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
    const gate = await openGate(handle);
    expect(gate).toEqual({
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      gate: 'go-no-go',
      roles: ['engineering', 'operations'],
      requireSignatures: true,
    });

    const aliceGo = { role: 'engineering', approver: 'alice', decision: 'GO' };
    const signedAt = new Date().toISOString();
    const sign = (key: TestKey, over: object = {}) => ({
      ...aliceGo,
      signedAt,
      signature: sshSignSync(
        key.file,
        voteStatement({
          workflowId: gate.workflowId,
          runId: gate.runId,
          gate: 'go-no-go',
          ...aliceGo,
          signedAt,
          ...over,
        }),
      ),
    });
    await rejected(handle, aliceGo, /this plan requires signed votes/);
    await rejected(handle, sign(k.bob), /which is not alice's key in approvals\.keys/);
    await rejected(handle, sign(k.alice, { runId: 'another-run' }), /does not match this vote/);
    await rejected(handle, sign(k.alice, { gate: 'Hour 1 decision point' }), /does not match this vote/);
    await handle.signal('approveSignal', aliceGo); // the UI's form, without a signature

    const starterEng = await cutover([
      'approve',
      handle.workflowId,
      '--role',
      'engineering',
      '--as',
      'starter',
      '--key',
      k.starter.file,
    ]);
    expect(starterEng.stdout).toContain(
      '✓ GO for engineering by starter (signed) recorded at go-no-go; ' + 'waiting for the other roles',
    );
    expect(starterEng.code).toBe(0);
    const starterOps = await cutover([
      'approve',
      handle.workflowId,
      '--role',
      'operations',
      '--as',
      'starter',
      '--key',
      k.starter.file,
    ]);
    expect(starterOps.stderr).toMatch(
      /vote rejected, nothing recorded: starter started this cutover and may not approve it alone/,
    );
    expect(starterOps.code).toBe(2);
    // No --key and no ~/.ssh/id_ed25519: the CLI says what to pass instead of sending an unsigned vote.
    const noKey = await cutover(['approve', handle.workflowId, '--role', 'operations', '--as', 'bob'], {
      HOME: path.join(keys.dir, 'pub-only'),
    });
    expect(noKey.stderr).toMatch(/this vote must be signed: pass --key ~\/\.ssh\/id_ed25519/);
    expect(noKey.code).toBe(2);

    // bob signs with a key held only by ssh-agent and pastes the JSON into the UI's signal form.
    const printed = await cutover(
      ['approve', handle.workflowId, '--role', 'operations', '--as', 'bob', '--key', bobPubOnly, '--print-json'],
      { SSH_AUTH_SOCK: agentSocket },
    );
    expect(printed.code).toBe(0);
    const bobVote = JSON.parse(printed.stdout);
    expect(bobVote).toEqual({
      role: 'operations',
      approver: 'bob',
      decision: 'GO',
      signedAt: expect.any(String),
      signature: expect.stringMatching(/^-----BEGIN SSH SIGNATURE-----/),
    });
    expect(printed.stderr).toMatch(/Send a Signal, name approveSignal/);
    expect(await handle.query<CutoverView>('status').then((v) => v.approvals.length)).toBe(1); // printing sent nothing
    await handle.signal('approveSignal', bobVote);

    const held = await waitForStatus(handle, (v) => v.heldBefore === 'phase1');
    expect(held.approvals.map((a) => `${a.role}:${a.approver}:${a.via}`)).toEqual([
      'engineering:starter:update',
      'operations:bob:signal',
    ]);
    expect(held.approvals.every((a) => a.signature?.startsWith('-----BEGIN SSH SIGNATURE-----'))).toBe(true);
    const status = await cutover(['status', handle.workflowId]);
    // the audit trail: every vote with the fingerprint of the key that signed it
    const fp = (key: TestKey) => parsePublicKey(key.publicKey).fingerprint;
    expect(held.approvals.map((a) => a.keyFingerprint)).toEqual([fp(k.starter), fp(k.bob)]);
    expect(status.stdout).toContain(`vote go-no-go: GO engineering by starter (update, signed ${fp(k.starter)})`);
    expect(status.stdout).toContain(`vote go-no-go: GO operations by bob (signal, signed ${fp(k.bob)})`);
    expect(held.rejectedApprovals).toEqual([
      expect.objectContaining({ approver: 'alice', reason: expect.stringMatching(/requires signed votes/) }),
    ]);
    const events = (await handle.fetchHistory()).events ?? [];
    // Rejected updates never reach history; the only accepted one is the starter's CLI vote.
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(1);
    expect(events.some((e) => e.workflowTaskFailedEventAttributes)).toBe(false);

    await handle.signal('abort', { reason: 'test done', by: 'alice' });
    expect(((await handle.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
    expect(await isUp(fixture.urls.v1)).toBe(true);
  },
  600_000,
);

test(
  'a monitoring decision point takes signed votes too: unsigned ' +
    'is rejected, a signed NO-GO from the CLI rolls back',
  async () => {
    await signedFixture((plan) => {
      plan.monitoring = {
        duration: '10m',
        cadence: [{ until: '10m', every: '1m' }],
        sentinelEvery: '5s',
        summaryEvery: '10m',
        decisionPoints: [
          { at: '2s', label: 'Hour 1 decision point', roles: ['engineering'], timeout: '10m', onTimeout: 'continue' },
        ],
      };
      plan.thresholds = { latencySamples: 3, memoryDrift: 0.5 };
    });
    const handle = await startMonitoring(env.client, fixture, 'cutover-signed');
    const gate = await openGate(handle);
    expect(gate).toEqual({
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      gate: 'Hour 1 decision point',
      roles: ['engineering'],
      requireSignatures: true,
    });
    await rejected(
      handle,
      { role: 'engineering', approver: 'alice', decision: 'NO_GO' },
      /this plan requires signed votes/,
    );
    const vote = await cutover([
      'approve',
      handle.workflowId,
      '--role',
      'engineering',
      '--as',
      'alice',
      '--no-go',
      '--comment',
      'KPIs drift',
      '--key',
      k.alice.file,
    ]);
    expect(vote.stdout).toContain(
      '✓ NO_GO for engineering by alice (signed) recorded at Hour 1 ' + 'decision point; gate decided: NO_GO',
    );
    const view = (await handle.result().catch(viewOrThrow)) as MonitoringView;
    expect(view.status).toBe('ROLLED_BACK');
    expect(view.votes).toEqual([
      expect.objectContaining({
        approver: 'alice',
        decision: 'NO_GO',
        comment: 'KPIs drift',
        signature: expect.stringMatching(/^-----BEGIN SSH SIGNATURE-----/),
      }),
    ]);
    expect(await isUp(fixture.urls.v1)).toBe(true);
  },
  600_000,
);

test(
  'a signed vote that arrives stale by signal (the worker was down) is refused with the command to sign ' +
    'again, and the approver is notified',
  async () => {
    await signedFixture();
    await startService(fixture.loaded(), 'v1');
    const handle = await startSigned({ holdBefore: ['phase1'] });
    const gate = await openGate(handle);
    // signed 20 minutes before it reaches the workflow: what a worker outage does to a signal
    const signedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const vote = { role: 'engineering', approver: 'alice', decision: 'GO' };
    const signature = sshSignSync(
      k.alice.file,
      voteStatement({ workflowId: gate.workflowId, runId: gate.runId, gate: 'go-no-go', ...vote, signedAt }),
    );
    await handle.signal('approveSignal', { ...vote, signedAt, signature });
    const again = `\`cutover approve ${handle.workflowId} --role engineering --as alice --key ~/.ssh/id_ed25519\``;
    const view = await waitForStatus(handle, (v) => v.rejectedApprovals.length === 1);
    expect(view.approvals).toEqual([]);
    expect(view.rejectedApprovals[0]!.reason).toMatch(/^the signature is stale: signed at .*: sign it again: /);
    expect(view.rejectedApprovals[0]!.reason.endsWith(again)).toBe(true);
    const notifications = () => fs.readFileSync(path.join(fixture.workdir, 'notifications.log'), 'utf8');
    await waitFor('the stale-vote notification', () => (notifications().includes(again) ? true : undefined));
    expect(notifications()).toContain(
      `alice: your signed GO for engineering on cutover ${handle.workflowId} was not counted: the signature is stale`,
    );

    await handle.signal('abort', { reason: 'test done', by: 'alice' });
    expect(((await handle.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
  },
  600_000,
);
