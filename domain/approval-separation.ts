/**
 * Separation of duties at a gate: one person counts for one role (approvals.distinctPeople), and
 * the person who started the cutover does not count at all (approvals.starterMayApprove: false).
 * A person is an approver name together with every key listed for it: two names that share a key
 * are one person, so a second name in the plan does not give anyone a second vote. Pure and
 * synchronous (update validator).
 */
import type { RecordedApproval } from './cutover-model';
import { keysOf, type SignaturePolicy } from './signed-vote';

export interface SeparationRules {
  /** approvals.distinctPeople (default: on when signatures are required) */
  distinctPeople: boolean;
  /** approvals.starterMayApprove (default true) */
  starterMayApprove: boolean;
}

export const NO_SEPARATION: SeparationRules = { distinctPeople: false, starterMayApprove: true };

/** The rules a plan's approvals section sets, with distinctPeople's default. */
export function separationRules(approvals: {
  requireSignatures?: boolean;
  distinctPeople?: boolean;
  starterMayApprove?: boolean;
}): SeparationRules {
  return {
    distinctPeople: approvals.distinctPeople ?? !!approvals.requireSignatures,
    starterMayApprove: approvals.starterMayApprove ?? true,
  };
}

/** Everything that identifies an approver: the name, and each listed key's fingerprint. */
function identities(policy: SignaturePolicy, approver: string, fingerprint?: string): Set<string> {
  return new Set([
    `name:${approver}`,
    ...keysOf(policy, approver).map((k) => `key:${k.fingerprint}`),
    ...(fingerprint ? [`key:${fingerprint}`] : []),
  ]);
}

const samePerson = (a: Set<string>, b: Set<string>) => [...a].some((id) => b.has(id));

export interface SeparationCheck {
  rules: SeparationRules;
  signatures: SignaturePolicy;
  gateId: string;
  roles: string[];
  approvers: Record<string, string[]>;
  starter: string;
  /** the starter's key when the start was signed */
  starterFingerprint?: string;
  /** the votes already counted at this gate */
  current: RecordedApproval[];
}

/** Who could still vote for `role` without breaking a rule: listed, not the starter, not a voter of another role. */
function stillEligible(c: SeparationCheck, role: string): string[] {
  const starter = identities(c.signatures, c.starter, c.starterFingerprint);
  return (c.approvers[role] ?? []).filter((name) => {
    const who = identities(c.signatures, name);
    if (!c.rules.starterMayApprove && samePerson(who, starter)) return false;
    return !(c.rules.distinctPeople && c.current.some((v) => samePerson(who, identities(c.signatures, v.approver))));
  });
}

const needed = (c: SeparationCheck, role: string) => {
  const names = stillEligible(c, role);
  return names.length
    ? `${role} still needs one of ${names.join(', ')}`
    : `nobody listed for ${role} can still vote: add another approver to approvals.approvers.${role}`;
};

/** Undefined when the vote may count; otherwise the rule it breaks and who is still needed. */
export function checkSeparation(
  c: SeparationCheck,
  vote: { role: string; approver: string; fingerprint?: string },
): string | undefined {
  const who = identities(c.signatures, vote.approver, vote.fingerprint);
  if (!c.rules.starterMayApprove && samePerson(who, identities(c.signatures, c.starter, c.starterFingerprint))) {
    return (
      `approvals.starterMayApprove is false: ${vote.approver} started this cutover` +
      `${vote.approver === c.starter ? '' : ` (as ${c.starter}, the same key)`}, so their vote does not count: ` +
      needed(c, vote.role)
    );
  }
  if (!c.rules.distinctPeople) return undefined;
  const earlier = c.current.find(
    (v) => v.role !== vote.role && samePerson(who, identities(c.signatures, v.approver, v.keyFingerprint)),
  );
  if (!earlier) return undefined;
  return (
    `approvals.distinctPeople: ${vote.approver} already voted for ${earlier.role}` +
    `${earlier.approver === vote.approver ? '' : ` (as ${earlier.approver}, the same key)`} at ${c.gateId}, ` +
    `and one person counts for one role per gate: ${needed(c, vote.role)}`
  );
}
