/**
 * A decision that waits for named roles with a deadline, shared by the GO/NO-GO gate and the
 * monitoring decision points. Votes arrive by update (validated, the caller learns at once) or
 * by signal (the Temporal UI's form; invalid votes are kept in `rejected` for the status view).
 */
import { condition, defineQuery, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { ApprovalRejected, checkApproval, gateOutcome, type GateContext } from '../domain/approval-rules';
import { NO_SIGNATURES, type GateInfo, type SignaturePolicy } from '../domain/signed-vote';
import type { Approval, Decision, RecordedApproval, RejectedApproval } from '../domain/cutover-model';
import { approveSignal, approveUpdate } from './messages';

export interface GateSpec {
  id: string;
  roles: string[];
  timeoutMs: number;
  onTimeout: Decision;
  summary: string;
}

/** What `cutover approve` needs to sign a vote: the open gate and what the signature binds to. */
export const approvalGateQuery = defineQuery<GateInfo>('approvalGate');

export class ApprovalGates {
  private current?: GateSpec;
  private signatures: SignaturePolicy = NO_SIGNATURES;

  constructor(
    private readonly approvers: Record<string, string[]>,
    private readonly starter: string,
    private readonly starterMayApproveAlone: boolean,
    /** carried over continue-as-new by the monitoring workflow */
    readonly votes: RecordedApproval[] = [],
    readonly rejected: RejectedApproval[] = [],
  ) {
    setHandler(approveUpdate, (approval) => this.record(approval, 'update'), {
      validator: (approval) => void checkApproval(this.context(), approval),
    });
    setHandler(approveSignal, (approval) => {
      try {
        this.record(checkApproval(this.context(), approval), 'signal');
      } catch (err) {
        if (!(err instanceof ApprovalRejected)) throw err;
        log.warn(`approval signal rejected: ${err.message}`);
        this.rejected.push({ ...(approval as Approval), at: new Date().toISOString(), reason: err.message });
      }
    });
    setHandler(approvalGateQuery, () => {
      const { workflowId, runId, gateId, roles } = this.context();
      return { workflowId, runId, gate: gateId, roles, requireSignatures: this.signatures.required };
    });
  }

  /** The plan's approvals.requireSignatures and approvals.keys (signed votes). */
  useSignatures(approvals: { requireSignatures?: boolean; keys?: SignaturePolicy['keys'] }): void {
    this.signatures = { required: !!approvals.requireSignatures, keys: approvals.keys ?? {} };
  }

  get openGate(): string | undefined {
    return this.current?.id;
  }

  context(): GateContext {
    return {
      gateId: this.current?.id,
      roles: this.current?.roles ?? [],
      approvers: this.approvers,
      starter: this.starter,
      starterMayApproveAlone: this.starterMayApproveAlone,
      votes: this.votes,
      workflowId: workflowInfo().workflowId,
      // The chain's first run: stable across the monitoring's continue-as-new.
      runId: workflowInfo().firstExecutionRunId,
      now: Date.now(),
      signatures: this.signatures,
    };
  }

  private record(approval: Approval, via: RecordedApproval['via']) {
    const gate = this.current!.id;
    this.votes.push({ ...approval, gate, at: new Date().toISOString(), via });
    log.info(`${gate}: ${approval.role} ${approval.decision} by ${approval.approver}`);
    return { gate, outcome: gateOutcome(this.context()) };
  }

  /** Every role votes GO for a rehearsal; recorded as auto-approve so nobody mistakes it for a person. */
  autoApprove(spec: GateSpec): Decision {
    for (const role of spec.roles) {
      this.votes.push({ role, approver: 'auto-approve', decision: 'GO', gate: spec.id, at: new Date().toISOString(), via: 'auto-approve' });
    }
    return 'GO';
  }

  /** Opens a decision without waiting on it: the monitoring loop keeps probing meanwhile. */
  open(spec: GateSpec): void {
    this.current = spec;
  }

  close(): void {
    this.current = undefined;
  }

  outcome(): Decision | undefined {
    return this.current ? gateOutcome(this.context()) : undefined;
  }

  recordTimeout(spec: GateSpec): void {
    this.votes.push({ role: '(timeout)', approver: 'timeout-default', decision: spec.onTimeout, gate: spec.id, at: new Date().toISOString(), via: 'timeout-default' });
  }

  /** Resolves with the decision; a timeout is an outcome (the plan's default), not an error. */
  async decide(spec: GateSpec): Promise<{ decision: Decision; timedOut: boolean }> {
    this.open(spec);
    try {
      const decided = await condition(() => gateOutcome(this.context()) !== undefined, spec.timeoutMs, { summary: spec.summary });
      if (decided) return { decision: gateOutcome(this.context())!, timedOut: false };
      this.recordTimeout(spec);
      return { decision: spec.onTimeout, timedOut: true };
    } finally {
      this.close();
    }
  }
}
