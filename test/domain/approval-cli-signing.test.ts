/** The CLI's signing (client/sign-vote.ts) with the real ssh-keygen, checked by the workflow's validator. */
import fs from 'node:fs';
import path from 'node:path';
import { checkApproval, type GateContext } from '../../domain/approval-rules';
import type { GateInfo } from '../../domain/signed-vote';
import { resolveKey, signVote, sshSign } from '../../client/sign-vote';
import { makeKeyDir } from '../helpers/ssh-keys';
import { NO_SEPARATION } from '../../domain/approval-separation';

const keys = makeKeyDir();
afterAll(() => keys.cleanup());

const gate: GateInfo = {
  workflowId: 'cutover-loans-1',
  runId: 'run-aaa',
  gate: 'go-no-go',
  roles: ['engineering'],
  requireSignatures: true,
};
const ctx = (now: number): GateContext => ({
  gateId: 'go-no-go',
  roles: ['engineering'],
  approvers: { engineering: ['alice'] },
  starter: 'starter',
  starterMayApproveAlone: false,
  votes: [],
  workflowId: gate.workflowId,
  runId: gate.runId,
  now,
  signatures: { required: true, keys: { alice: keys.key('alice').publicKey } },
  separation: NO_SEPARATION,
});

test('a vote signed by the CLI passes the validator of the gate it was signed for', async () => {
  const at = new Date('2026-01-31T18:00:00.000Z');
  const vote = await signVote(
    gate,
    { role: 'engineering', approver: 'alice', decision: 'GO', comment: 'dashboards green' },
    keys.key('alice').file,
    at,
  );
  expect(vote).toMatchObject({
    signedAt: '2026-01-31T18:00:00.000Z',
    signature: expect.stringMatching(/^-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----$/),
  });
  expect(() => checkApproval(ctx(at.getTime() + 5_000), vote)).not.toThrow();
  expect(() =>
    checkApproval({ ...ctx(at.getTime()), gateId: 'Hour 1 decision point', roles: ['engineering'] }, vote),
  ).toThrow(/does not match this vote/);
});

test('nothing is signed when no gate is open', async () => {
  await expect(
    signVote(
      { ...gate, gate: undefined },
      { role: 'engineering', approver: 'alice', decision: 'GO' },
      keys.key('alice').file,
    ),
  ).rejects.toThrow(/no decision is open at cutover-loans-1: nothing to sign/);
});

test('a missing key file is named with the fix', () => {
  expect(() => resolveKey(path.join(keys.dir, 'nope'))).toThrow(
    /--key .*nope: no such file; give your Ed25519 private key, or its \.pub file when the key is in ssh-agent/,
  );
});

test("a public key without its private key and without an agent: ssh-keygen's reason is passed on", async () => {
  const pubOnly = path.join(keys.dir, 'lonely.pub');
  fs.copyFileSync(`${keys.key('alice').file}.pub`, pubOnly);
  const saved = process.env.SSH_AUTH_SOCK;
  delete process.env.SSH_AUTH_SOCK;
  try {
    await expect(sshSign(pubOnly, 'x')).rejects.toThrow(/ssh-keygen could not sign with .*lonely\.pub: \S/);
  } finally {
    if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
  }
});
