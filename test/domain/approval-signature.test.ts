/** The signed-vote verifier against signatures made by the real ssh-keygen with real keys. */
import { execFileSync } from 'node:child_process';
import { ApprovalRejected, checkApproval, type GateContext } from '../../domain/approval-rules';
import { parsePublicKey, parseSshSignature, verifySshSignature } from '../../domain/approval-signature';
import { voteStatement, type VoteStatement } from '../../domain/signed-vote';
import { makeKeyDir, sshSignSync, type TestKey } from '../helpers/ssh-keys';
import { NO_SEPARATION } from '../../domain/approval-separation';

const keys = makeKeyDir();
let alice: TestKey;
let bob: TestKey;
let starter: TestKey;
beforeAll(() => {
  [alice, bob, starter] = ['alice', 'bob', 'starter'].map((n) => keys.key(n));
});
afterAll(() => keys.cleanup());

const SIGNED_AT = '2026-01-31T18:00:00.000Z';
const NOW = Date.parse(SIGNED_AT) + 60_000;

const ctx = (over: Partial<GateContext> = {}): GateContext => ({
  gateId: 'go-no-go',
  roles: ['engineering', 'operations'],
  approvers: { engineering: ['alice', 'starter'], operations: ['bob', 'starter'] },
  starter: 'starter',
  starterMayApproveAlone: false,
  votes: [],
  workflowId: 'cutover-loans-1',
  runId: 'run-aaa',
  now: NOW,
  signatures: {
    required: true,
    keys: { alice: alice.publicKey, bob: [starter.publicKey, bob.publicKey], starter: starter.publicKey },
  },
  separation: NO_SEPARATION,
  ...over,
});

type Vote = { role: string; approver: string; decision: 'GO' | 'NO_GO'; comment?: string };
const ALICE_GO: Vote = { role: 'engineering', approver: 'alice', decision: 'GO' };

/** Signs what the gate in `ctx()` expects, with any field of the statement overridden. */
function signed(vote: Vote, key: TestKey, over: Partial<VoteStatement> = {}, namespace?: string) {
  const statement = voteStatement({
    workflowId: 'cutover-loans-1',
    runId: 'run-aaa',
    gate: 'go-no-go',
    ...vote,
    signedAt: SIGNED_AT,
    ...over,
  });
  return { ...vote, signedAt: over.signedAt ?? SIGNED_AT, signature: sshSignSync(key.file, statement, namespace) };
}

const rejection = (input: unknown, context = ctx()) => {
  try {
    checkApproval(context, input);
  } catch (err) {
    expect(err).toBeInstanceOf(ApprovalRejected);
    return (err as Error).message;
  }
  throw new Error('expected the vote to be rejected');
};

describe('OpenSSH keys and signatures', () => {
  test('a public key line parses to the fingerprint ssh-keygen prints', () => {
    const printed = execFileSync('ssh-keygen', ['-l', '-f', `${alice.file}.pub`]).toString();
    expect(printed).toContain(parsePublicKey(alice.publicKey).fingerprint);
  });
  test.each([
    ['garbage', 'hello', /not an OpenSSH Ed25519 public key/],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----', /not an OpenSSH Ed25519 public key/],
    ['a cut-off key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBl5ODAu', /truncated/],
    ['bad base64', 'ssh-ed25519 AAAA$$$$', /not valid base64/],
  ])('%s is not a key', (_t, line, reason) => {
    expect(() => parsePublicKey(line)).toThrow(reason);
  });
  test('an ECDSA key is refused: only Ed25519', () => {
    const ecdsa = keys.key('eve', 'ecdsa').publicKey;
    expect(() => parsePublicKey(ecdsa)).toThrow(
      /key is of type ecdsa-sha2-nistp256; only ssh-ed25519 keys are supported: make one with ssh-keygen -t ed25519/,
    );
    expect(() => parsePublicKey(ecdsa.replace(/^ecdsa-sha2-nistp256/, 'ssh-ed25519'))).toThrow(
      /the public key is of type ecdsa-sha2-nistp256; only ssh-ed25519/,
    );
  });
  test('an ssh-keygen signature verifies over its message only', () => {
    const sig = parseSshSignature(sshSignSync(alice.file, 'the message'));
    expect(sig).toMatchObject({ namespace: 'cutover-approval', hashAlgorithm: 'sha512' });
    expect(verifySshSignature(sig, 'the message', 'cutover-approval')).toBe(true);
    expect(verifySshSignature(sig, 'the messagE', 'cutover-approval')).toBe(false);
    expect(verifySshSignature(sig, 'the message', 'git')).toBe(false);
  });
  test('the armor may lose its line breaks (a one-line form field)', () => {
    const oneLine = sshSignSync(alice.file, 'm').replace(/\n/g, '');
    expect(verifySshSignature(parseSshSignature(oneLine), 'm', 'cutover-approval')).toBe(true);
  });
});

describe('a gate that requires signed votes', () => {
  test('a vote signed by the approver for this workflow, run and gate counts', () => {
    const vote = signed({ ...ALICE_GO, comment: 'looks good' }, alice);
    expect(checkApproval(ctx(), vote)).toEqual(vote);
  });
  test("any of the approver's listed keys may sign", () => {
    expect(() =>
      checkApproval(ctx(), signed({ role: 'operations', approver: 'bob', decision: 'GO' }, bob)),
    ).not.toThrow();
  });
  test.each<[string, () => unknown, RegExp]>([
    [
      'a missing signature',
      () => ALICE_GO,
      /requires signed votes \(approvals\.requireSignatures\): vote with `cutover approve cutover-loans-1 --role engineering --as alice --key/,
    ],
    [
      'a signature without signedAt',
      () => ({ ...signed(ALICE_GO, alice), signedAt: undefined }),
      /signature and signedAt go together/,
    ],
    [
      "another person's key",
      () => signed(ALICE_GO, bob),
      /made with key SHA256:\S+, which is not alice's key in approvals\.keys \(SHA256:\S+\): sign with alice's own key/,
    ],
    [
      'a changed decision',
      () => ({ ...signed(ALICE_GO, alice), decision: 'NO_GO' }),
      /does not match this vote \(workflow cutover-loans-1, run run-aaa, gate "go-no-go", engineering NO_GO by alice.*vote was changed after signing: sign this vote again/,
    ],
    [
      'a changed comment',
      () => ({ ...signed({ ...ALICE_GO, comment: 'ok' }, alice), comment: 'ok, and skip the tests' }),
      /does not match this vote/,
    ],
    [
      'a changed signedAt',
      () => ({ ...signed(ALICE_GO, alice), signedAt: '2026-01-31T18:00:30.000Z' }),
      /does not match this vote/,
    ],
    [
      'a vote signed for another gate',
      () => signed(ALICE_GO, alice, { gate: 'Hour 1 decision point' }),
      /does not match this vote .*another workflow, run, gate/,
    ],
    [
      'a vote signed for another run',
      () => signed(ALICE_GO, alice, { runId: 'run-bbb' }),
      /does not match this vote \(workflow cutover-loans-1, run run-aaa/,
    ],
    [
      'a vote signed for another workflow',
      () => signed(ALICE_GO, alice, { workflowId: 'cutover-loans-2' }),
      /does not match this vote/,
    ],
    [
      'a stale signature',
      () => signed(ALICE_GO, alice, { signedAt: '2026-01-31T17:44:00.000Z' }),
      /stale: signed at 2026-01-31T17:44:00\.000Z, 17 min before the workflow's time 2026-01-31T18:01:00\.000Z; a vote must be sent within 15 min of signing: sign it again: `cutover approve cutover-loans-1 --role engineering --as alice --key ~\/\.ssh\/id_ed25519`$/,
    ],
    [
      'a signature from the future',
      () => signed(ALICE_GO, alice, { signedAt: '2026-01-31T18:10:00.000Z' }),
      /9 min ahead of the workflow's time .*correct the signing machine's clock/,
    ],
    [
      'a signedAt that is no time',
      () => ({ ...signed(ALICE_GO, alice), signedAt: 'yesterday' }),
      /signedAt "yesterday" is not an ISO time/,
    ],
    [
      'another namespace',
      () => signed(ALICE_GO, alice, {}, 'git'),
      /namespace "git", not "cutover-approval": sign with ssh-keygen -Y sign -n cutover-approval/,
    ],
    [
      'a vote signed with an ECDSA key',
      () => signed(ALICE_GO, keys.key('alice', 'ecdsa')),
      /the signature's public key is of type ecdsa-sha2-nistp256; only ssh-ed25519 keys are supported/,
    ],
    [
      'garbage',
      () => ({ ...ALICE_GO, signedAt: SIGNED_AT, signature: 'trust me' }),
      /not an SSH signature: give the whole "-----BEGIN SSH SIGNATURE-----/,
    ],
    [
      'a truncated signature',
      () => {
        const v = signed(ALICE_GO, alice);
        return { ...v, signature: v.signature.replace(/\n[^\n]*\n(-----END)/, '\n$1') };
      },
      /truncated|not valid base64/,
    ],
    [
      'a person with no key',
      () => signed({ role: 'engineering', approver: 'alice', decision: 'GO' }, alice),
      /approvals\.keys lists no key for alice: add alice's ssh-ed25519 public key to the plan$/,
    ],
  ])('%s is rejected with the reason and the fix', (title, input, reason) => {
    const context = title === 'a person with no key' ? ctx({ signatures: { required: true, keys: {} } }) : ctx();
    expect(rejection(input(), context)).toMatch(reason);
  });
  test('the starter may not approve alone, signed or not', () => {
    const first = signed(ALICE_GO, starter, { approver: 'starter' });
    const context = ctx();
    checkApproval(context, { ...first, approver: 'starter' });
    context.votes.push({
      role: 'engineering',
      approver: 'starter',
      decision: 'GO',
      gate: 'go-no-go',
      at: SIGNED_AT,
      via: 'update',
    });
    expect(rejection(signed({ role: 'operations', approver: 'starter', decision: 'GO' }, starter), context)).toMatch(
      /started this cutover and may not approve it alone/,
    );
  });
});

describe('a plan without requireSignatures', () => {
  const open = () => ctx({ signatures: { required: false, keys: { alice: alice.publicKey } } });
  test('unsigned votes count as before', () => {
    expect(() => checkApproval(open(), ALICE_GO)).not.toThrow();
  });
  test('a signature that is sent is still verified: a recorded signature is always a valid one', () => {
    expect(() => checkApproval(open(), signed(ALICE_GO, alice))).not.toThrow();
    expect(rejection(signed(ALICE_GO, bob), open())).toMatch(/not alice's key/);
    expect(rejection(signed({ role: 'operations', approver: 'bob', decision: 'GO' }, bob), open())).toMatch(
      /no key for bob: .*, or send the vote without a signature/,
    );
  });
});
