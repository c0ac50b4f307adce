/**
 * What a signed vote is bound to and when it counts: the statement a person signs with
 * `ssh-keygen -Y sign -n cutover-approval`, and the validator's check of it against the plan's
 * keys. Pure and synchronous (update validator); every rejection says the reason and the fix.
 */
import {
  parsePublicKey,
  parseSshSignature,
  samePublicKey,
  SignatureProblem,
  verifySshSignature,
  VOTE_NAMESPACE,
  type SshPublicKey,
} from './approval-signature';

/** A signature older than this (workflow time) is stale: a vote cannot be kept and replayed later. */
export const MAX_SIGNATURE_AGE_MS = 15 * 60_000;
/** How far ahead of workflow time a signer's clock may be. */
export const MAX_CLOCK_SKEW_MS = 2 * 60_000;

export interface SignaturePolicy {
  /** approvals.requireSignatures */
  required: boolean;
  /** approvals.keys: approver → OpenSSH Ed25519 public key line(s) */
  keys: Record<string, string | string[]>;
}

/** The `approvalGate` query's answer: what `cutover approve` signs a vote for. */
export interface GateInfo {
  workflowId: string;
  runId: string;
  /** undefined when no gate is open */
  gate?: string;
  roles: string[];
  requireSignatures: boolean;
}

export const NO_SIGNATURES: SignaturePolicy = { required: false, keys: {} };

/** What a vote signs. Fixed key order and JSON quoting: no field can bleed into another. */
export interface VoteStatement {
  workflowId: string;
  /** the first run of the workflow's chain: the same across continue-as-new, new for a new execution */
  runId: string;
  gate: string;
  role: string;
  approver: string;
  decision: string;
  comment?: string;
  signedAt: string;
}

export function voteStatement(s: VoteStatement): string {
  return JSON.stringify({
    statement: 'cutover approval v1',
    workflowId: s.workflowId,
    runId: s.runId,
    gate: s.gate,
    role: s.role,
    approver: s.approver,
    decision: s.decision,
    comment: s.comment ?? '',
    signedAt: s.signedAt,
  });
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

export function keysOf(policy: SignaturePolicy, approver: string): SshPublicKey[] {
  const listed = policy.keys[approver];
  const lines = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
  return lines.flatMap((line) => {
    try {
      return [parsePublicKey(line)];
    } catch {
      return []; // plan check reports it; an unparsable key simply matches nothing
    }
  });
}

/** The fingerprint (SHA256:…) of the key a vote's signature names; undefined for an unsigned or unreadable one. */
export function signatureFingerprint(signature: string | undefined): string | undefined {
  if (signature === undefined) return undefined;
  try {
    return parseSshSignature(signature).publicKey.fingerprint;
  } catch {
    return undefined;
  }
}

/** True when `signedAt` is a readable time more than MAX_SIGNATURE_AGE_MS before `now` (workflow time). */
export function isStale(signedAt: unknown, now: number): boolean {
  const at = typeof signedAt === 'string' && ISO_TIME.test(signedAt) ? Date.parse(signedAt) : NaN;
  return now - at > MAX_SIGNATURE_AGE_MS;
}

/** The command that signs and sends this same vote again. */
export function signAgainCommand(vote: {
  workflowId: string;
  role: string;
  approver: string;
  decision: string;
  comment?: string;
}): string {
  return (
    `\`cutover approve ${vote.workflowId} --role ${vote.role} --as ${vote.approver}` +
    `${vote.decision === 'NO_GO' ? ' --no-go' : ''}` +
    `${vote.comment ? ` --comment ${JSON.stringify(vote.comment)}` : ''} --key ~/.ssh/id_ed25519\``
  );
}

type SignedVote = Omit<VoteStatement, 'signedAt'> & { signature?: string; signedAt?: string };

/** Undefined when the vote may count; otherwise why not and what to do. */
export function checkVoteSignature(policy: SignaturePolicy, vote: SignedVote, now: number): string | undefined {
  const { signature, signedAt, approver } = vote;
  if (signature === undefined && signedAt === undefined) {
    if (!policy.required) return undefined;
    return (
      `this plan requires signed votes (approvals.requireSignatures): ` +
      `vote with \`cutover approve ${vote.workflowId} --role ` +
      `${vote.role} --as ${approver} --key ~/.ssh/id_ed25519\`, or add ` +
      `--print-json to get the signed payload for the Temporal UI`
    );
  }
  if (signature === undefined || signedAt === undefined)
    return 'signature and signedAt go together: send both (`cutover ' + 'approve … --print-json` prints them)';
  const keys = keysOf(policy, approver);
  if (keys.length === 0)
    return (
      `approvals.keys lists no key for ${approver}: add ${approver}'s ` +
      `ssh-ed25519 public key to the plan${policy.required ? '' : ', or send the vote without a signature'}`
    );
  const at = ISO_TIME.test(signedAt) ? Date.parse(signedAt) : NaN;
  if (Number.isNaN(at))
    return `signedAt "${signedAt}" is not an ISO time like ` + `2026-01-31T18:00:00.000Z: sign the vote again`;
  const workflowTime = new Date(now).toISOString();
  if (isStale(signedAt, now)) {
    return (
      `the signature is stale: signed at ${signedAt}, ` +
      `${minutes(now - at)} before the workflow's time ` +
      `${workflowTime}; a vote must be sent within ` +
      `${minutes(MAX_SIGNATURE_AGE_MS)} of signing: sign it again: ` +
      signAgainCommand(vote)
    );
  }
  if (at - now > MAX_CLOCK_SKEW_MS) {
    return (
      `signedAt ${signedAt} is ${minutes(at - now)} ahead of the ` +
      `workflow's time ${workflowTime}: correct the signing machine's ` +
      `clock and sign again`
    );
  }
  let parsed;
  try {
    parsed = parseSshSignature(signature);
  } catch (err) {
    if (err instanceof SignatureProblem) return err.message;
    throw err;
  }
  if (parsed.namespace !== VOTE_NAMESPACE) {
    return (
      `the signature was made for namespace "${parsed.namespace}", ` +
      `not "${VOTE_NAMESPACE}": sign with ssh-keygen -Y sign -n ${VOTE_NAMESPACE}`
    );
  }
  if (!keys.some((k) => samePublicKey(k, parsed.publicKey))) {
    return (
      `the signature was made with key ` +
      `${parsed.publicKey.fingerprint}, which is not ${approver}'s key ` +
      `in approvals.keys (` +
      `${keys.map((k) => k.fingerprint).join(', ')}): sign with ` +
      `${approver}'s own key`
    );
  }
  const statement = voteStatement({ ...vote, signedAt });
  if (!verifySshSignature(parsed, statement, VOTE_NAMESPACE)) {
    return (
      `the signature does not match this vote (workflow ` +
      `${vote.workflowId}, run ${vote.runId}, gate "${vote.gate}", ` +
      `${vote.role} ${vote.decision} by ${approver}, signed at ` +
      `${signedAt}): it was made for another workflow, run, gate or ` +
      `decision, or the vote was changed after signing: sign this vote again`
    );
  }
  return undefined;
}
