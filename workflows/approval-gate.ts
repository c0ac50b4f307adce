/**
 * A decision that waits for named roles with a deadline, shared by the GO/NO-GO gate and the
 * monitoring decision points. Votes arrive by update (validated, the caller learns at once) or
 * by signal (the Temporal UI's form; invalid votes are kept in `rejected` for the status view).
 */
import { ApplicationFailure, condition, defineQuery, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { ApprovalRejected, checkApproval, gateOutcome, type GateContext } from '../domain/approval-rules';
import {
  isStale,
  NO_SIGNATURES,
  signatureFingerprint,
  type GateInfo,
  type SignaturePolicy,
} from '../domain/signed-vote';
import { NO_SEPARATION, separationRules, type SeparationRules } from '../domain/approval-separation';
import type { Approval, Decision, RecordedApproval, RejectedApproval } from '../domain/cutover-model';
import { keepLast } from '../domain/message-log';
import { approveSignal, approveUpdate } from './messages';
import { formatSpan } from '../domain/duration';
import { rejectedVote, votePayloadProblem } from '../domain/vote-payload';
import { FailureType } from '../domain/failure-types';
import { creditOutage, defaultNote, openWindow } from '../domain/voting-window';
import { GO_NO_GO_GATE } from '../domain/open-decision';

export interface GateSpec {
  id: string;
  roles: string[];
  timeoutMs: number;
  onTimeout: Decision;
  summary: string;
}

/** What `cutover approve` needs to sign a vote: the open gate and what the signature binds to. */
export const approvalGateQuery = defineQuery<GateInfo>('approvalGate');

/** When and how a gate was decided: a default is told apart from a vote, with the window it had. */
export interface GateResult {
  decision: Decision;
  timedOut: boolean;
  openedAt?: string;
  decidedAt?: string;
  windowMs?: number;
  /** time the approvers could not vote (worker or server gone) that was given back */
  extendedMs?: number;
  /** "default after 30 min, no vote" when timedOut */
  note?: string;
}

/** A timer that fires this much after it was due means the worker (or the server) was gone. */
const GATE_LATE_MS = 10_000;

export class ApprovalGates {
  private current?: GateSpec;
  private signatures: SignaturePolicy = NO_SIGNATURES;
  private separation: SeparationRules = NO_SEPARATION;
  /** the key that signed the start (a signed start): the starter is that person whatever name they vote as */
  starterFingerprint?: string;
  /** called after every vote or rejected signal vote, outside any command (details and status only) */
  onChange?: () => void;
  /**
   * A signed vote sent by signal that arrived stale (signed more than 15 minutes before the
   * workflow read it: the worker was down): nobody is waiting on a signal's answer, so the
   * workflow tells the approver (a notification) instead of only listing the rejection.
   */
  onStaleVote?: (vote: RejectedApproval, signedAt: string) => void;

  constructor(
    private readonly approvers: Record<string, string[]>,
    private readonly starter: string,
    private readonly starterMayApproveAlone: boolean,
    /** carried over continue-as-new by the monitoring workflow */
    readonly votes: RecordedApproval[] = [],
    readonly rejected: RejectedApproval[] = [],
  ) {
    // The validator rejects before anything enters history; the handler checks again and fails only
    // the update (an ApplicationFailure), never the workflow task. Non-retryable: a rejected vote is final.
    setHandler(approveUpdate, (approval) => this.record(this.checkOrReject(approval), 'update'), {
      validator: (approval) => void this.checkOrReject(approval),
    });
    // A signal has no caller to answer: whatever arrives, the handler records and never throws.
    setHandler(approveSignal, (approval: unknown) => {
      try {
        this.record(this.check(approval), 'signal');
      } catch (err) {
        const reason =
          err instanceof ApprovalRejected
            ? err.message
            : `not taken: ${err instanceof Error ? err.message : String(err)}`;
        log.warn(`approval signal rejected: ${reason.slice(0, 300)}`);
        const refused = rejectedVote(approval, reason, new Date().toISOString());
        this.rejected.push(refused);
        keepLast(this.rejected);
        const signedAt = (approval as { signedAt?: unknown } | null)?.signedAt;
        if (typeof signedAt === 'string' && isStale(signedAt, Date.now())) this.onStaleVote?.(refused, signedAt);
        this.onChange?.();
      }
    });
    setHandler(approvalGateQuery, () => {
      const { workflowId, runId, gateId, roles } = this.context();
      return { workflowId, runId, gate: gateId, roles, requireSignatures: this.signatures.required };
    });
  }

  /** The plan's approvals.requireSignatures and approvals.keys (signed votes), distinctPeople and starterMayApprove. */
  useSignatures(approvals: {
    requireSignatures?: boolean;
    keys?: SignaturePolicy['keys'];
    distinctPeople?: boolean;
    starterMayApprove?: boolean;
  }): void {
    this.signatures = { required: !!approvals.requireSignatures, keys: approvals.keys ?? {} };
    this.separation = separationRules(approvals);
  }

  /** Who has voted and who is still missing, e.g. "GO/NO-GO: engineering ✓ (alice); waiting for operations". */
  progress(): string | undefined {
    const spec = this.current;
    if (!spec) return undefined;
    const votes = this.votes.filter((v) => v.gate === spec.id);
    const done = votes.map((v) => `${v.role} ${v.decision === 'GO' ? '✓' : '✗ NO-GO'} (${v.approver})`);
    const missing = spec.roles.filter((r) => !votes.some((v) => v.role === r));
    const label = spec.id === GO_NO_GO_GATE ? 'GO/NO-GO' : spec.id;
    return `${label}: ${[...done, ...(missing.length ? [`waiting for ${missing.join(' + ')}`] : [])].join('; ')}`;
  }

  get openGate(): string | undefined {
    return this.current?.id;
  }

  private checkOrReject(raw: unknown): Approval {
    try {
      return this.check(raw);
    } catch (err) {
      throw ApplicationFailure.nonRetryable(
        err instanceof Error ? err.message : String(err),
        FailureType.ApprovalRejected,
      );
    }
  }

  /** checkApproval, with a plainer word for a payload that is not even an object (the UI's empty form). */
  private check(raw: unknown): Approval {
    const problem = votePayloadProblem(raw);
    if (problem) throw new ApprovalRejected(problem);
    return checkApproval(this.context(), raw);
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
      separation: this.separation,
      starterFingerprint: this.starterFingerprint,
    };
  }

  private record(approval: Approval, via: RecordedApproval['via']) {
    const gate = this.current!.id;
    const keyFingerprint = signatureFingerprint(approval.signature);
    this.votes.push({
      ...approval,
      gate,
      at: new Date().toISOString(),
      via,
      ...(keyFingerprint && { keyFingerprint }),
    });
    log.info(`${gate}: ${approval.role} ${approval.decision} by ${approval.approver}`);
    this.onChange?.();
    return { gate, outcome: gateOutcome(this.context()) };
  }

  /** Every role votes GO for a rehearsal; recorded as auto-approve so nobody mistakes it for a person. */
  autoApprove(spec: GateSpec): Decision {
    for (const role of spec.roles) {
      this.votes.push({
        role,
        approver: 'auto-approve',
        decision: 'GO',
        gate: spec.id,
        at: new Date().toISOString(),
        via: 'auto-approve',
      });
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

  recordTimeout(spec: GateSpec, comment?: string): void {
    this.votes.push({
      role: '(timeout)',
      approver: 'timeout-default',
      decision: spec.onTimeout,
      gate: spec.id,
      at: new Date().toISOString(),
      via: 'timeout-default',
      ...(comment ? { comment } : {}),
    });
  }

  /**
   * Waits for the voters; resolves with their decision, or the plan's default when the window
   * passed (an outcome, not an error). The window counts from the opening and only while a worker
   * could take votes: the wait runs in ticks (≤ 20 per window), and a tick that fired late has the
   * outage given back (domain/voting-window.ts), so a worker returning after the deadline re-arms
   * for the rest instead of applying the default at once.
   */
  async waitForVotes(spec: GateSpec): Promise<GateResult> {
    this.open(spec);
    const decided = () => gateOutcome(this.context()) !== undefined;
    try {
      const openedMs = Date.now();
      const sinceOpened = () => Date.now() - openedMs;
      const tickMs = Math.max(60_000, Math.ceil(spec.timeoutMs / 20));
      const window = openWindow(0, spec.timeoutMs);
      const times = () => ({
        openedAt: new Date(openedMs).toISOString(),
        decidedAt: new Date().toISOString(),
        windowMs: spec.timeoutMs,
        extendedMs: window.extendedMs,
      });
      for (;;) {
        const alive = sinceOpened();
        const due = Math.min(window.deadlineOffsetMs, alive + tickMs);
        if (await condition(decided, due - alive, { summary: spec.summary }))
          return { decision: gateOutcome(this.context())!, timedOut: false, ...times() };
        const now = sinceOpened();
        if (now - due > GATE_LATE_MS) {
          const given = creditOutage(window, alive, now);
          log.warn(
            `${spec.id}: the worker or the server was unreachable for about ` +
              `${formatSpan(now - due)}; the window is extended by ${formatSpan(given)}`,
          );
        }
        if (now >= window.deadlineOffsetMs) break;
      }
      const note = defaultNote(window);
      this.recordTimeout(spec, note);
      return { decision: spec.onTimeout, timedOut: true, note, ...times() };
    } finally {
      this.close();
    }
  }
}
