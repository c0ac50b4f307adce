import { ApprovalRejected, checkApproval, type GateContext } from '../../domain/approval-rules';
import { separationRules } from '../../domain/approval-separation';
import type { RecordedApproval } from '../../domain/cutover-model';
import { makeKeyDir } from '../helpers/ssh-keys';

const keys = makeKeyDir();
afterAll(() => keys.cleanup());

const ctx = (votes: RecordedApproval[], over: Partial<GateContext> = {}): GateContext => ({
  gateId: 'go-no-go',
  roles: ['engineering', 'operations'],
  approvers: { engineering: ['alice', 'starter'], operations: ['alice', 'bob', 'starter'] },
  starter: 'starter',
  // the older, weaker rule off: these tests are about the separation rules alone
  starterMayApproveAlone: true,
  votes,
  workflowId: 'cutover-x',
  runId: 'run-1',
  now: Date.parse('2026-01-31T18:00:00Z'),
  signatures: { required: false, keys: {} },
  separation: { distinctPeople: true, starterMayApprove: true },
  ...over,
});
const vote = (role: string, approver: string): RecordedApproval => ({
  role,
  approver,
  decision: 'GO',
  gate: 'go-no-go',
  at: '',
  via: 'update',
});
const refusal = (context: GateContext, input: object) => {
  try {
    checkApproval(context, input);
  } catch (err) {
    expect(err).toBeInstanceOf(ApprovalRejected);
    return (err as Error).message;
  }
  throw new Error('the vote was accepted');
};

test('distinctPeople defaults to on exactly when signatures are required; starterMayApprove to true', () => {
  expect(separationRules({ requireSignatures: true })).toEqual({ distinctPeople: true, starterMayApprove: true });
  expect(separationRules({})).toEqual({ distinctPeople: false, starterMayApprove: true });
  expect(separationRules({ requireSignatures: true, distinctPeople: false, starterMayApprove: false })).toEqual({
    distinctPeople: false,
    starterMayApprove: false,
  });
});

test('with distinctPeople one person listed for two roles counts for one: the refusal names the rule and who is still needed', () => {
  const message = refusal(ctx([vote('engineering', 'alice')]), {
    role: 'operations',
    approver: 'alice',
    decision: 'GO',
  });
  expect(message).toBe(
    'approvals.distinctPeople: alice already voted for engineering at go-no-go, and one person counts for one ' +
      'role per gate: operations still needs one of bob, starter',
  );
  expect(() =>
    checkApproval(ctx([vote('engineering', 'alice')]), { role: 'operations', approver: 'bob', decision: 'GO' }),
  ).not.toThrow();
  // without the rule the same vote counts
  expect(() =>
    checkApproval(
      ctx([vote('engineering', 'alice')], { separation: { distinctPeople: false, starterMayApprove: true } }),
      {
        role: 'operations',
        approver: 'alice',
        decision: 'GO',
      },
    ),
  ).not.toThrow();
});

test('two approver names that share a key are one person', () => {
  const shared = keys.key('alice').publicKey;
  const context = ctx([vote('engineering', 'alice')], {
    approvers: { engineering: ['alice'], operations: ['alice-ops', 'bob'] },
    signatures: { required: false, keys: { alice: shared, 'alice-ops': shared } },
  });
  expect(refusal(context, { role: 'operations', approver: 'alice-ops', decision: 'GO' })).toMatch(
    /^approvals\.distinctPeople: alice-ops already voted for engineering \(as alice, the same key\).*operations still needs one of bob$/,
  );
});

test('with starterMayApprove false the starter’s vote does not count, for any role and either decision', () => {
  const context = ctx([], { separation: { distinctPeople: false, starterMayApprove: false } });
  for (const [role, decision] of [
    ['engineering', 'GO'],
    ['operations', 'NO_GO'],
  ])
    expect(refusal(context, { role, approver: 'starter', decision })).toBe(
      `approvals.starterMayApprove is false: starter started this cutover, so their vote does not count: ` +
        `${role} still needs one of ${role === 'engineering' ? 'alice' : 'alice, bob'}`,
    );
});

test('when nobody eligible is left for a role, the refusal says to list another approver', () => {
  const context = ctx([vote('engineering', 'alice')], {
    approvers: { engineering: ['alice'], operations: ['alice'] },
  });
  expect(refusal(context, { role: 'operations', approver: 'alice', decision: 'GO' })).toMatch(
    /nobody listed for operations can still vote: add another approver to approvals\.approvers\.operations$/,
  );
});
