/** What a cutover is made of, as data: phases, states, approvals and the status view. Pure. */
import type { TrafficView } from './traffic-state';
import type { StartSignature } from './signed-start';
import type { OpenDecisionView } from './open-decision';
import type { ValidationBrief } from './validation-report';
export const PHASES = [
  { id: 'phase0', title: 'Phase 0: Pre-cutover validation' },
  { id: 'gate', title: 'GO/NO-GO decision' },
  { id: 'phase1', title: 'Phase 1: Backups and snapshots' },
  { id: 'phase2', title: 'Phase 2: V2 staging validation' },
  { id: 'phase3', title: 'Phase 3: V1 graceful shutdown' },
  { id: 'phase4', title: 'Phase 4: V2 activation' },
  { id: 'phase5', title: 'Phase 5: Post-cutover validation' },
] as const;
export type PhaseId = (typeof PHASES)[number]['id'];
export const PHASE_IDS = PHASES.map((p) => p.id) as PhaseId[];

export type PhaseState = 'pending' | 'running' | 'passed' | 'failed' | 'skipped';
export type CutoverStatus =
  'RUNNING' | 'AWAITING_APPROVAL' | 'ROLLING_BACK' | 'SUCCESS' | 'ABORTED' | 'ROLLED_BACK' | 'FAILED';
export const FINAL_STATUSES: CutoverStatus[] = ['SUCCESS', 'ABORTED', 'ROLLED_BACK', 'FAILED'];

export interface PhaseView {
  id: PhaseId;
  title: string;
  state: PhaseState;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  message?: string;
}

export type Decision = 'GO' | 'NO_GO';
export interface Approval {
  role: string;
  approver: string;
  decision: Decision;
  comment?: string;
  /** a signed vote (approvals.requireSignatures): SSHSIG armor and the signing time, verified by the validator */
  signature?: string;
  signedAt?: string;
}
export interface RecordedApproval extends Approval {
  gate: string;
  at: string;
  via: 'update' | 'signal' | 'auto-approve' | 'timeout-default';
  /** the key that signed it (SHA256:…, as `ssh-keygen -l` prints it): the audit trail's proof of who */
  keyFingerprint?: string;
}
export interface RejectedApproval extends Approval {
  at: string;
  reason: string;
}

/**
 * A signal whose payload was missing pieces, malformed or refused. Stop requests (abort,
 * rollback) are honoured whatever they carry (`honoured: true`); anything else is dropped.
 */
export interface RejectedMessage {
  name: string;
  at: string;
  reason: string;
  /** the start of what was sent, as JSON */
  excerpt: string;
  honoured: boolean;
}
/** Bounded: the last few entries and how many there were in all. */
export interface MessageLog {
  count: number;
  last: RejectedMessage[];
}

/** A plan is either named by path (the worker loads it) or given inline. */
export type PlanRef = string | Record<string, unknown>;

export interface CutoverInput {
  plan: PlanRef;
  /** rehearsals and the demo: the gate is approved by "auto-approve", recorded as such */
  autoApprove?: boolean;
  /** phases 0 and 2 only; nothing in production changes */
  dryRun?: boolean;
  /** who started it; the plan may forbid them from approving the gate alone */
  startedBy?: string;
  /** wait for a `resume` signal before these phases (change windows, rehearsals, tests) */
  holdBefore?: PhaseId[];
  /** start the 24-hour monitoring workflow after a successful cutover (default true) */
  monitor?: boolean;
  /** the starter's signature over plan, plan hash, cutover id and name (domain/signed-start.ts) */
  startSignature?: StartSignature;
}

export interface CutoverView {
  cutoverId: string;
  plan: string;
  status: CutoverStatus;
  dryRun: boolean;
  autoApprove: boolean;
  startedBy: string;
  /** a signed start: the fingerprint of the starter's key and when they signed */
  startSigned?: { keyFingerprint: string; signedAt: string };
  currentPhase?: PhaseId;
  heldBefore?: PhaseId;
  /** the GO/NO-GO gate while it waits for votes */
  openDecision?: OpenDecisionView;
  phases: PhaseView[];
  approvals: RecordedApproval[];
  rejectedApprovals: RejectedApproval[];
  /** signals that were malformed or refused (absent in views from before it existed) */
  rejectedMessages?: MessageLog;
  /** the abort or rollback request the cutover took (the first one wins) */
  stopRequest?: { kind: 'abort' | 'rollback'; reason: string; at: string };
  rollback?: { workflowId: string; reason: string; status?: string; durationMs?: number; message?: string };
  /** the monitoring workflow started after SUCCESS */
  monitoringWorkflowId?: string;
  message: string;
  servicesState?: string;
  /** who serves through the router, each switch or weight step (plans with a traffic section) */
  traffic?: TrafficView;
  /** the production validations it ran, each report key's status (absent in views from before they were kept) */
  validations?: ValidationBrief[];
}

export const statusLine = (status: CutoverStatus) => `STATUS: ${status}${status === 'SUCCESS' ? ' ✓' : ''}`;
