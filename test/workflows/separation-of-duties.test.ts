/**
 * Separation of duties at the GO/NO-GO gate on the real dev server: with approvals.distinctPeople
 * a person listed for two roles cannot complete the gate alone, whichever way the votes come (the
 * update, the signal of the UI's form, the CLI); with starterMayApprove false the starter's vote
 * does not count. Each refusal names the rule and who is still needed.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService } from '../../activities/service-control';
import { cutoverAt } from '../helpers/cutover-cli';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;

beforeAll(() => {
  env = suite.env;
});
afterEach(() => fixture?.cleanup());

const cutover = (args: string[]) => cutoverAt(env.address, args);

const refusedUpdate = async (handle: WorkflowHandle, vote: object): Promise<string> => {
  const err: any = await handle.executeUpdate('approve', { args: [vote] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return err.cause.message;
};

const DISTINCT =
  'approvals.distinctPeople: alice already voted for engineering at go-no-go, and one person counts for one ' +
  'role per gate: operations still needs one of bob';

test('one person holding two roles cannot complete the gate (update, signal, CLI); the starter’s vote does not count', async () => {
  fixture = await createDemoFixture({
    mutate: (plan) => {
      plan.approvals.approvers.engineering = ['alice', 'starter'];
      plan.approvals.approvers.operations = ['alice', 'bob', 'starter'];
      plan.approvals.allowAutoApprove = false;
      plan.approvals.distinctPeople = true;
      plan.approvals.starterMayApprove = false;
    },
  });
  await startService(fixture.loaded(), 'v1');
  const handle = await startCutover(env.client, fixture.plan, { holdBefore: ['phase1'], startedBy: 'starter' });
  await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL' && !!v.openDecision);

  expect(await refusedUpdate(handle, { role: 'engineering', approver: 'starter', decision: 'GO' })).toBe(
    'approvals.starterMayApprove is false: starter started this cutover, so their vote does not count: ' +
      'engineering still needs one of alice',
  );
  const starterCli = await cutover(['approve', handle.workflowId, '--role', 'operations', '--as', 'starter']);
  expect(starterCli.stderr).toContain('approvals.starterMayApprove is false: starter started this cutover');
  expect(starterCli.code).toBe(2);

  const aliceEng = await cutover(['approve', handle.workflowId, '--role', 'engineering', '--as', 'alice']);
  expect(aliceEng.code).toBe(0);
  expect(await refusedUpdate(handle, { role: 'operations', approver: 'alice', decision: 'GO' })).toBe(DISTINCT);
  const aliceOpsCli = await cutover(['approve', handle.workflowId, '--role', 'operations', '--as', 'alice']);
  expect(aliceOpsCli.stderr).toContain(`vote rejected, nothing recorded: ${DISTINCT}`);
  expect(aliceOpsCli.code).toBe(2);
  await handle.signal('approveSignal', { role: 'operations', approver: 'alice', decision: 'GO' });
  const afterSignal = await waitForStatus(handle, (v) => v.rejectedApprovals.length === 1);
  expect(afterSignal.rejectedApprovals[0]).toMatchObject({ approver: 'alice', role: 'operations', reason: DISTINCT });
  expect(afterSignal.status).toBe('AWAITING_APPROVAL');
  expect(afterSignal.approvals.map((a) => `${a.role}:${a.approver}`)).toEqual(['engineering:alice']);

  await handle.signal('approveSignal', { role: 'operations', approver: 'bob', decision: 'GO' });
  const held = await waitForStatus(handle, (v) => v.heldBefore === 'phase1');
  expect(held.approvals.map((a) => `${a.role}:${a.approver}:${a.via}`)).toEqual([
    'engineering:alice:update',
    'operations:bob:signal',
  ]);
  await handle.signal('abort', { reason: 'test done', by: 'alice' });
  expect(((await handle.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
  expect(await isUp(fixture.urls.v1)).toBe(true);
}, 600_000);
