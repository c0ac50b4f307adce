/**
 * A decision that waits for named roles with a deadline, shared by the GO/NO-GO gate and the
 * monitoring decision points. Votes arrive by update (validated, the caller learns at once) or
 * by signal (the Temporal UI's form; invalid votes are kept in `rejected` for the status view).
 */
import { condition, log, patched, setHandler } from '@temporalio/workflow';
import { ApprovalRejected, checkApproval, gateOutcome, type GateContext } from '../domain/approval-rules';
import type { Approval, Decision, RecordedApproval, RejectedApproval } from '../domain/cutover-model';
import { approveSignal, approveUpdate } from './messages';
import { formatSpan } from '../domain/monitoring-model';

export interface GateSpec {
  id: string;
  roles: string[];
  timeoutMs: number;
  onTimeout: Decision;
  summary: string;
}

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

  recordTimeout(spec: GateSpec, comment?: string): void {
    this.votes.push({ role: '(timeout)', approver: 'timeout-default', decision: spec.onTimeout, gate: spec.id, at: new Date().toISOString(), via: 'timeout-default', ...(comment ? { comment } : {}) });
  }

  /**
   * Resolves with the decision; a timeout is an outcome (the plan's default), not an error. The
   * window counts from the opening and only while a worker could take votes: the wait runs in
   * ticks (≤ 20 per window), and a tick that fired late gives back the time since the last one,
   * so a worker returning after the deadline re-arms for the rest instead of applying the
   * default at once.
   */
  async decide(spec: GateSpec): Promise<GateResult> {
    this.open(spec);
    const decided = () => gateOutcome(this.context()) !== undefined;
    try {
      // Patched: a gate already waiting when this came in replays with its single timer.
      if (!patched('gate-window-served')) {
        if (await condition(decided, spec.timeoutMs, { summary: spec.summary })) return { decision: gateOutcome(this.context())!, timedOut: false };
        this.recordTimeout(spec);
        return { decision: spec.onTimeout, timedOut: true };
      }
      const openedMs = Date.now();
      const tickMs = Math.max(60_000, Math.ceil(spec.timeoutMs / 20));
      let deadline = openedMs + spec.timeoutMs;
      let extendedMs = 0;
      const times = () => ({ openedAt: new Date(openedMs).toISOString(), decidedAt: new Date().toISOString(), windowMs: spec.timeoutMs, extendedMs: extendedMs || undefined });
      for (;;) {
        const aliveMs = Date.now();
        const dueMs = Math.min(deadline, aliveMs + tickMs);
        if (await condition(decided, dueMs - aliveMs, { summary: spec.summary })) return { decision: gateOutcome(this.context())!, timedOut: false, ...times() };
        const now = Date.now();
        if (now - dueMs > GATE_LATE_MS) {
          deadline += now - aliveMs;
          extendedMs += now - aliveMs;
          log.warn(`${spec.id}: the worker or the server was unreachable for about ${formatSpan(now - dueMs)}; the window is extended by ${formatSpan(now - aliveMs)}`);
        }
        if (now >= deadline) break;
      }
      const note = `default after ${formatSpan(spec.timeoutMs)}${extendedMs ? ` (+${formatSpan(extendedMs)} given back for an outage)` : ''}, no vote`;
      this.recordTimeout(spec, note);
      return { decision: spec.onTimeout, timedOut: true, note, ...times() };
    } finally {
      this.close();
    }
  }
}
