/**
 * Signed starts on the real dev server: with approvals.requireSignatures a cutover runs only when
 * its start is signed by the starter's listed key over the plan's name and content hash and the
 * cutover id (`cutover start --key`, the real ssh-keygen); an unsigned or wrongly signed start
 * ends ABORTED before Phase 0 with V1 untouched, and the reason says how to start it right.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { parsePublicKey } from '../../domain/approval-signature';
import type { StartStatement } from '../../domain/signed-start';
import { startService } from '../../activities/service-control';
import { cutoverAt } from '../helpers/cutover-cli';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { makeKeyDir, signStart, type TestKey } from '../helpers/ssh-keys';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
const keys = makeKeyDir();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
const k: Record<'alice' | 'bob' | 'starter', TestKey> = {} as never;
const fp = (key: TestKey) => parsePublicKey(key.publicKey).fingerprint;

const cutover = (args: string[]) => cutoverAt(env.address, args);

beforeAll(async () => {
  env = suite.env;
  for (const name of ['alice', 'bob', 'starter'] as const) k[name] = keys.key(name);
  fixture = await createDemoFixture({
    mutate: (plan) => {
      plan.approvals.requireSignatures = true;
      plan.approvals.allowAutoApprove = false;
      plan.approvals.approvers.dataQuality = ['alice'];
      plan.approvals.keys = Object.fromEntries(Object.entries(k).map(([name, key]) => [name, key.publicKey]));
    },
  });
  await startService(fixture.loaded(), 'v1');
});
afterAll(async () => {
  await fixture?.cleanup();
  keys.cleanup();
});

const ended = async (handle: WorkflowHandle) => (await handle.result().catch(viewOrThrow)) as CutoverView;

const abortedBeforePhase0 = async (view: CutoverView, reason: string | RegExp) => {
  expect(view.status).toBe('ABORTED');
  expect(view.message).toMatch(reason);
  expect(view.phases.every((p) => p.state === 'pending')).toBe(true);
  expect(await isUp(fixture.urls.v1)).toBe(true);
};

test('`cutover start --key` signs the start: it runs, and status says who started it, with the key', async () => {
  const file = path.join(fixture.workdir, 'plan.json');
  fs.writeFileSync(file, JSON.stringify(fixture.plan));
  const id = uniqueId('cutover-signed-start');
  const started = await cutover([
    'start',
    file,
    '--id',
    id,
    '--as',
    'starter',
    '--key',
    k.starter.file,
    '--hold-before',
    'phase0',
    '--no-monitor',
  ]);
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  const handle = env.client.workflow.getHandle(id);
  const held = await waitForStatus(handle, (v) => v.heldBefore === 'phase0');
  expect(held.startSigned).toEqual({ keyFingerprint: fp(k.starter), signedAt: expect.any(String) });
  const status = await cutover(['status', id]);
  expect(status.stdout).toContain(`started by starter (signed ${fp(k.starter)} at ${held.startSigned!.signedAt})`);
  await handle.signal('abort', { reason: 'test done', by: 'alice' });
  expect((await ended(handle)).status).toBe('ABORTED');
});

test('an unsigned start of a plan that requires signatures is ABORTED before Phase 0, the reason naming the fix', async () => {
  const view = await ended(await startCutover(env.client, fixture.plan, { startedBy: 'starter' }));
  await abortedBeforePhase0(
    view,
    'nothing changed: this plan requires a signed start (approvals.requireSignatures) and this one is unsigned: ' +
      'start it again with `cutover start PLAN --as starter --key ~/.ssh/id_ed25519` (the key listed for ' +
      'starter in approvals.keys)',
  );
});

test.each([
  ['by another person’s key', 'bob', {}, /made with key SHA256:\S+, which is not starter's: start it again/],
  ['for another cutover id', 'starter', { cutoverId: 'cutover-other' }, /does not match this start/],
  ['for another version of the plan', 'starter', { planHash: 'sha256:00' }, /does not match this start/],
  [
    'long before the start',
    'starter',
    { signedAt: new Date(Date.now() - 3_600_000).toISOString() },
    /more than 15 min before the start/,
  ],
] as const)('a start signed %s is ABORTED before Phase 0', async (_t, signer, over, reason) => {
  const workflowId = uniqueId('cutover-test');
  const startSignature = signStart(
    k[signer].file,
    { workflowId, plan: fixture.loaded(), startedBy: 'starter' },
    over as Partial<StartStatement>,
  );
  const handle = await startCutover(env.client, fixture.plan, { startedBy: 'starter', startSignature }, workflowId);
  await abortedBeforePhase0(await ended(handle), reason);
});
