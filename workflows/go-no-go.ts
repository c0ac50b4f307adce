/**
 * The cutover's GO/NO-GO gate: who may vote (the plan's approvers, signatures and separation of
 * duties), what the status and the UI details say while it waits, and the decision it reaches.
 */
import { setCurrentDetails } from '@temporalio/workflow';
import type { CutoverStatus, CutoverView } from '../domain/cutover-model';
import type { LoadedPlan } from '../domain/loaded-plan';
import { parseDuration } from '../domain/duration';
import { ApprovalGates, type GateSpec } from './approval-gate';
import { renderCutoverDetails } from './cutover-details';
import { GO_NO_GO_GATE } from '../domain/open-decision';

/** Ends the phases early on purpose (NO-GO, abort): not a failure of a step. */
export class CutoverHalted extends Error {}

type Notify = (key: string, text: string, severity?: 'info' | 'warning' | 'critical') => Promise<void>;

/** The vote handlers of a cutover, registered at once: a vote is answered even before the gate opens. */
export function cutoverGates(
  loaded: LoadedPlan,
  view: CutoverView,
  starterFingerprint: string | undefined,
  notify: Notify,
): ApprovalGates {
  const { approvals } = loaded.plan;
  const gates = new ApprovalGates(approvals.approvers, view.startedBy, approvals.gate.starterMayApproveAlone);
  gates.useSignatures(approvals);
  gates.starterFingerprint = starterFingerprint;
  view.approvals = gates.votes;
  view.rejectedApprovals = gates.rejected;
  // Each vote says who is still missing; view and details only (no command from a handler).
  gates.onChange = () => {
    if (view.status === 'AWAITING_APPROVAL') view.message = gates.progress() ?? view.message;
    setCurrentDetails(renderCutoverDetails(view));
  };
  // The one command a vote handler issues: a stale signed vote's sender is waiting for no answer.
  gates.onStaleVote = (vote, signedAt) =>
    void notify(
      `stale-vote:${vote.role}:${vote.approver}:${signedAt}`,
      `${vote.approver}: your signed ${vote.decision} for ${vote.role} on cutover ${view.cutoverId} was not counted: ` +
        vote.reason,
      'warning',
    );
  return gates;
}

const gateSpec = (loaded: LoadedPlan): GateSpec => {
  const { gate } = loaded.plan.approvals;
  return {
    id: GO_NO_GO_GATE,
    roles: gate.roles,
    timeoutMs: parseDuration(gate.timeout),
    onTimeout: gate.onTimeout === 'go' ? 'GO' : 'NO_GO',
    summary: `GO/NO-GO: waiting for ${gate.roles.join(' + ')}`,
  };
};

/** A rehearsal's gate: every role GO, recorded as auto-approve. */
export function autoApproveGate(gates: ApprovalGates, loaded: LoadedPlan): string {
  const spec = gateSpec(loaded);
  gates.autoApprove(spec);
  return `GO (auto-approve for ${spec.roles.join(', ')})`;
}

/** Waits for the plan's roles; the phase message on GO, CutoverHalted on NO-GO or a NO_GO default. */
export async function runGoNoGo(
  loaded: LoadedPlan,
  gates: ApprovalGates,
  view: CutoverView,
  setStatus: (status: CutoverStatus, message: string) => void,
  notify: Notify,
): Promise<string> {
  const { approvals } = loaded.plan;
  const spec = gateSpec(loaded);
  // Open before the status says AWAITING_APPROVAL: a vote sent the moment someone sees it
  // must count, not meet "no decision is open" while the notification is still on its way.
  gates.open(spec);
  setStatus('AWAITING_APPROVAL', spec.summary);
  await notify(
    'gate-open',
    `Cutover ${view.cutoverId} awaiting GO/NO-GO from ${spec.roles.join(', ')} (timeout ${approvals.gate.timeout})`,
  );
  view.openDecision = {
    label: 'GO/NO-GO',
    roles: spec.roles,
    workflowId: view.cutoverId,
    // gates.waitForVotes() counts its window from now (the notification is out)
    deadlineAt: new Date(Date.now() + spec.timeoutMs).toISOString(),
    windowMs: spec.timeoutMs,
    onTimeout: spec.onTimeout === 'GO' ? 'GO' : 'abort (V1 stays serving)',
    noGo: 'abort (V1 stays serving)',
    signed: !!approvals.requireSignatures,
  };
  setCurrentDetails(renderCutoverDetails(view));
  const { decision, timedOut } = await gates.waitForVotes(spec).finally(() => (view.openDecision = undefined));
  if (decision === 'NO_GO')
    throw new CutoverHalted(timedOut ? `no decision within ${approvals.gate.timeout}: default is abort` : 'NO-GO');
  return timedOut ? `GO by the plan's timeout default` : 'GO';
}
