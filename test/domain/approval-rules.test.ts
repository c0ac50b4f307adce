import { ApprovalRejected, checkApproval, gateOutcome, type GateContext } from '../../domain/approval-rules';
import type { RecordedApproval } from '../../domain/cutover-model';
import { NO_SEPARATION } from '../../domain/approval-separation';

const ctx = (votes: RecordedApproval[] = [], over: Partial<GateContext> = {}): GateContext => ({
  gateId: 'go-no-go',
  roles: ['engineering', 'operations'],
  approvers: { engineering: ['alice', 'starter'], operations: ['bob', 'starter'] },
  starter: 'starter',
  starterMayApproveAlone: false,
  votes,
  workflowId: 'cutover-x',
  runId: 'run-1',
  now: Date.parse('2026-01-31T18:00:00Z'),
  signatures: { required: false, keys: {} },
  separation: NO_SEPARATION,
  ...over,
});
const vote = (role: string, approver: string, decision: 'GO' | 'NO_GO' = 'GO'): RecordedApproval => ({
  role,
  approver,
  decision,
  gate: 'go-no-go',
  at: '',
  via: 'update',
});

describe('approval rules', () => {
  test('an allowed approver for a gate role is accepted', () => {
    expect(checkApproval(ctx(), { role: 'engineering', approver: 'alice', decision: 'GO' })).toEqual({
      role: 'engineering',
      approver: 'alice',
      decision: 'GO',
    });
  });
  test.each([
    ['an unknown role', { role: 'marketing', approver: 'alice', decision: 'GO' }, ctx(), /does not vote at go-no-go/],
    [
      'an approver not listed for the role',
      { role: 'operations', approver: 'alice', decision: 'GO' },
      ctx(),
      /alice may not approve for operations: the plan allows bob, starter/,
    ],
    [
      'a second vote for the same role',
      { role: 'engineering', approver: 'starter', decision: 'GO' },
      ctx([vote('engineering', 'alice')]),
      /already voted/,
    ],
    [
      'a vote when no gate is open',
      { role: 'engineering', approver: 'alice', decision: 'GO' },
      ctx([], { gateId: undefined }),
      /already closed or not reached/,
    ],
    [
      'the starter completing the gate alone',
      { role: 'operations', approver: 'starter', decision: 'GO' },
      ctx([vote('engineering', 'starter')]),
      /may not approve it alone/,
    ],
    [
      'a malformed decision',
      { role: 'engineering', approver: 'alice', decision: 'yes' },
      ctx(),
      /decision must be "GO" or "NO_GO"/,
    ],
    ['a missing approver name', { role: 'engineering', decision: 'GO' }, ctx(), /approver/],
  ])('%s is rejected with the reason', (_t, input, context, reason) => {
    expect(() => checkApproval(context, input)).toThrow(ApprovalRejected);
    expect(() => checkApproval(context, input)).toThrow(reason);
  });
  test('the starter may approve one role when another person approves the other', () => {
    expect(() =>
      checkApproval(ctx([vote('engineering', 'alice')]), { role: 'operations', approver: 'starter', decision: 'GO' }),
    ).not.toThrow();
  });
  test('the starter may approve alone when the plan allows it', () => {
    expect(() =>
      checkApproval(ctx([vote('engineering', 'starter')], { starterMayApproveAlone: true }), {
        role: 'operations',
        approver: 'starter',
        decision: 'GO',
      }),
    ).not.toThrow();
  });
  test('the gate is GO only when every role said GO, and NO_GO at the first NO_GO', () => {
    expect(gateOutcome(ctx([vote('engineering', 'alice')]))).toBeUndefined();
    expect(gateOutcome(ctx([vote('engineering', 'alice'), vote('operations', 'bob')]))).toBe('GO');
    expect(gateOutcome(ctx([vote('engineering', 'alice', 'NO_GO')]))).toBe('NO_GO');
  });
});
