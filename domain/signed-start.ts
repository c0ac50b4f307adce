/**
 * A signed start: who started a cutover, proven by their key instead of declared. The starter
 * signs (`ssh-keygen -Y sign -n cutover-start`, done by `cutover start --key`) a statement binding
 * the plan's name and content hash, the cutover id and their name; the workflow checks it before
 * Phase 0. Pure and synchronous (workflow code).
 */
import { sha256 } from '@noble/hashes/sha2';
import { parseSshSignature, samePublicKey, SignatureProblem, verifySshSignature } from './approval-signature';
import { keysOf, MAX_CLOCK_SKEW_MS, MAX_SIGNATURE_AGE_MS, type SignaturePolicy } from './signed-vote';

/** Its own namespace: a vote's signature can never pass for a start's, nor the other way round. */
export const START_NAMESPACE = 'cutover-start';

/** What the start input carries (CutoverInput.startSignature). */
export interface StartSignature {
  /** armored `ssh-keygen -Y sign -n cutover-start` output over the start statement */
  signature: string;
  /** ISO time it was signed; part of the statement */
  signedAt: string;
}

/** JSON with every object's keys sorted: the same plan gives the same text on the CLI and on the worker. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of the validated plan (defaults filled in), as `sha256:<hex>`. */
export function planContentHash(plan: unknown): string {
  const hash = sha256(new TextEncoder().encode(canonicalJson(plan)));
  return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface StartStatement {
  cutoverId: string;
  plan: string;
  planHash: string;
  startedBy: string;
  signedAt: string;
}

/** What a start signs. Fixed key order and JSON quoting: no field can bleed into another. */
export function startStatement(s: StartStatement): string {
  return JSON.stringify({
    statement: 'cutover start v1',
    cutoverId: s.cutoverId,
    plan: s.plan,
    planHash: s.planHash,
    startedBy: s.startedBy,
    signedAt: s.signedAt,
  });
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export type StartCheck = { ok: true; fingerprint?: string } | { ok: false; reason: string };

/**
 * Whether the start may go on. `startedAt`: when the server took the start (workflow start time),
 * so a worker that was down does not make a fresh signature stale.
 */
export function checkStartSignature(
  policy: SignaturePolicy,
  start: Omit<StartStatement, 'signedAt'> & { startedAt: number },
  signed: StartSignature | undefined,
): StartCheck {
  const again =
    `start it again with \`cutover start PLAN --as ${start.startedBy} --key ~/.ssh/id_ed25519\`` +
    ` (the key listed for ${start.startedBy} in approvals.keys)`;
  if (!signed) {
    if (!policy.required) return { ok: true };
    return {
      ok: false,
      reason: `this plan requires a signed start (approvals.requireSignatures) and this one is unsigned: ${again}`,
    };
  }
  const refuse = (why: string): StartCheck => ({
    ok: false,
    reason: `the start's signature is refused: ${why}: ${again}`,
  });
  const keys = keysOf(policy, start.startedBy);
  if (keys.length === 0) return refuse(`approvals.keys lists no key for ${start.startedBy}`);
  const at = ISO_TIME.test(signed.signedAt) ? Date.parse(signed.signedAt) : NaN;
  if (Number.isNaN(at)) return refuse(`signedAt "${signed.signedAt}" is not an ISO time`);
  if (start.startedAt - at > MAX_SIGNATURE_AGE_MS)
    return refuse(`it was signed at ${signed.signedAt}, more than 15 min before the start`);
  if (at - start.startedAt > MAX_CLOCK_SKEW_MS)
    return refuse(`signedAt ${signed.signedAt} is after the start: correct the signing machine's clock`);
  let parsed;
  try {
    parsed = parseSshSignature(signed.signature);
  } catch (err) {
    if (err instanceof SignatureProblem) return refuse(err.message);
    throw err;
  }
  if (parsed.namespace !== START_NAMESPACE)
    return refuse(`it was made for namespace "${parsed.namespace}", not "${START_NAMESPACE}"`);
  if (!keys.some((k) => samePublicKey(k, parsed.publicKey)))
    return refuse(`it was made with key ${parsed.publicKey.fingerprint}, which is not ${start.startedBy}'s`);
  if (!verifySshSignature(parsed, startStatement({ ...start, signedAt: signed.signedAt }), START_NAMESPACE))
    return refuse(
      `it does not match this start (cutover ${start.cutoverId}, plan ${start.plan} ${start.planHash}, ` +
        `by ${start.startedBy}): it was made for another cutover id or another version of the plan`,
    );
  return { ok: true, fingerprint: parsed.publicKey.fingerprint };
}
