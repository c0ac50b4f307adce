/**
 * Who may vote at a gate, and what the votes add up to. Used by update validators, so it
 * must be synchronous and pure: a rejected update never enters history.
 */
import { z } from 'zod';
import type { RecordedApproval } from './cutover-model';
import { checkVoteSignature, signatureFingerprint, type SignaturePolicy } from './signed-vote';
import { checkSeparation, type SeparationRules } from './approval-separation';
import { FailureType } from './failure-types';

export const approvalSchema = z.strictObject({
  role: z.string().min(1, { error: 'role is required, e.g. "engineering"' }),
  approver: z.string().min(1, { error: 'approver is required: the name of the person voting' }),
  decision: z.enum(['GO', 'NO_GO'], { error: 'decision must be "GO" or "NO_GO"' }),
  comment: z.string().max(2000).optional(),
  /** armored `ssh-keygen -Y sign -n cutover-approval` output over the vote's statement (approval-signature.ts) */
  signature: z.string().max(4000).optional(),
  /** ISO time the vote was signed, part of the signed statement */
  signedAt: z.string().max(40).optional(),
});
export type VoteInput = z.output<typeof approvalSchema>;

export interface GateContext {
  /** undefined when no gate is open */
  gateId?: string;
  roles: string[];
  approvers: Record<string, string[]>;
  starter: string;
  starterMayApproveAlone: boolean;
  votes: RecordedApproval[];
  /** what a signed vote is bound to, and the plan's keys (approvals.requireSignatures / keys) */
  workflowId: string;
  /** the first run id of the workflow's chain (workflowInfo().firstExecutionRunId) */
  runId: string;
  /** workflow time, ms: a signature older than 15 minutes is stale */
  now: number;
  signatures: SignaturePolicy;
  /** approvals.distinctPeople and approvals.starterMayApprove */
  separation: SeparationRules;
  /** the key that signed the start, when it was signed: the starter is that person too */
  starterFingerprint?: string;
}

export class ApprovalRejected extends Error {
  override readonly name = FailureType.ApprovalRejected;
}

/** Throws ApprovalRejected with the reason and the fix; returns the parsed approval otherwise. */
export function checkApproval(ctx: GateContext, input: unknown): VoteInput {
  const parsed = approvalSchema.safeParse(input);
  if (!parsed.success) {
    throw new ApprovalRejected(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'approval'}: ${i.message}`).join('; '),
    );
  }
  const vote = parsed.data;
  if (!ctx.gateId) throw new ApprovalRejected('no decision is open: the gate is already closed or not reached yet');
  if (!ctx.roles.includes(vote.role)) {
    throw new ApprovalRejected(
      `role "${vote.role}" does not vote at ${ctx.gateId}: expected ` + `one of ${ctx.roles.join(', ')}`,
    );
  }
  const allowed = ctx.approvers[vote.role] ?? [];
  if (!allowed.includes(vote.approver)) {
    throw new ApprovalRejected(
      `${vote.approver} may not approve for ${vote.role}: the plan ` + `allows ${allowed.join(', ') || 'nobody'}`,
    );
  }
  // Who the approver is must be settled before their vote is counted against the others.
  const bad = checkVoteSignature(
    ctx.signatures,
    { ...vote, workflowId: ctx.workflowId, runId: ctx.runId, gate: ctx.gateId },
    ctx.now,
  );
  if (bad) throw new ApprovalRejected(bad);
  const current = ctx.votes.filter((v) => v.gate === ctx.gateId);
  if (current.some((v) => v.role === vote.role)) {
    throw new ApprovalRejected(`${vote.role} has already voted at ${ctx.gateId}; a vote cannot be changed`);
  }
  if (vote.decision === 'GO' && !ctx.starterMayApproveAlone && vote.approver === ctx.starter) {
    const others = current.filter((v) => v.approver !== ctx.starter);
    const completes = current.length + 1 === ctx.roles.length;
    if (completes && others.length === 0) {
      throw new ApprovalRejected(
        `${vote.approver} started this cutover and may not approve it ` + `alone: another approver must vote`,
      );
    }
  }
  const refused = checkSeparation(
    { ...ctx, gateId: ctx.gateId, rules: ctx.separation, current },
    { ...vote, fingerprint: signatureFingerprint(vote.signature) },
  );
  if (refused) throw new ApprovalRejected(refused);
  return vote;
}

export function gateOutcome(ctx: GateContext): 'GO' | 'NO_GO' | undefined {
  const current = ctx.votes.filter((v) => v.gate === ctx.gateId);
  if (current.some((v) => v.decision === 'NO_GO')) return 'NO_GO';
  const approved = new Set(current.filter((v) => v.decision === 'GO').map((v) => v.role));
  return ctx.roles.every((r) => approved.has(r)) ? 'GO' : undefined;
}
