/**
 * cutoverWorkflow: the seed's production_cutover.sh as a durable workflow.
 * Phase 0 → GO/NO-GO → Phases 1–5. Before Phase 3 nothing in production has changed, so a
 * failure, a NO-GO or an abort ends ABORTED with V1 serving. From Phase 3 on, the registered
 * compensations run in rollbackWorkflow, a child that outlives this one if it must.
 */
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  startChild,
  isCancellation,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  PHASES,
  statusLine,
  type CutoverInput,
  type CutoverStatus,
  type CutoverView,
  type PhaseId,
} from '../domain/cutover-model';
import { PhaseTracker } from '../domain/phase-tracker';
import type { LoadedPlan } from '../domain/loaded-plan';
import { workflowIds } from '../domain/names';
import { phaseKey, planKey, statusKey } from '../domain/search-attributes';
import { cutoverInputSchema, checkInput } from '../domain/message-schemas';
import { emptyLog } from '../domain/message-log';
import { abortSignal, resumeSignal, rollbackSignal, statusQuery } from './messages';
import { MessageIntake, stopText } from './message-intake';
import { autoApproveGate, CutoverHalted, cutoverGates, runGoNoGo } from './go-no-go';
import { act } from './activity-proxies';
import { failureMessage } from './failure-message';
import { renderCutoverDetails } from './cutover-details';
import * as phases from './cutover-phases';
import type { PhaseContext } from './phase-context';
import { runRollbackChild } from './rollback-child';
import { notifyBestEffort } from './notify-best-effort';
import { checkStartSignature, planContentHash } from '../domain/signed-start';
import { monitoringWorkflow } from './monitoring';
import { trafficView } from './strategy-traffic';
import { acquirePlanLocks, releasePlanLocks } from './plan-lock';
import { endWith } from './outcome';
import { cancelAware } from './cancel-request';
import { cancelText, type CancelRequest } from '../domain/cancel-request';

const BODIES: Partial<Record<PhaseId, (ctx: PhaseContext) => Promise<string>>> = {
  phase0: phases.preCutoverValidation,
  phase1: phases.backupsAndSnapshots,
  phase2: phases.v2StagingValidation,
  phase3: phases.v1GracefulShutdown,
  phase4: phases.v2Activation,
  phase5: phases.postCutoverValidation,
};
const DRY_RUN_PHASES: PhaseId[] = ['phase0', 'phase2'];

/** A cancel request (UI, `temporal workflow cancel`) is an abort by whoever sent it: see cancel-request.ts. */
export async function cutoverWorkflow(rawInput: CutoverInput): Promise<CutoverView> {
  return cancelAware(async (cancelled) => {
    const held: string[] = [];
    try {
      return endWith('Cutover', await runCutover(rawInput, held, cancelled));
    } finally {
      await releasePlanLocks(held);
    }
  });
}

async function runCutover(
  rawInput: CutoverInput,
  held: string[],
  cancelled: Promise<CancelRequest>,
): Promise<CutoverView> {
  const cutoverId = workflowInfo().workflowId;
  // Anyone can start this from the UI or the `temporal` CLI: a bad input ends the run at once
  // (ABORTED, nothing changed) instead of failing its workflow task for ever.
  const checked = checkInput<CutoverInput>(cutoverInputSchema, rawInput);
  const input: CutoverInput = checked.ok ? checked.value : { plan: '(invalid input)' };
  const tracker = new PhaseTracker();
  const view: CutoverView = {
    cutoverId,
    // No String() on what was sent: {"toString": "x"} would throw out of the workflow body.
    plan: (typeof input.plan === 'string'
      ? input.plan
      : typeof input.plan.name === 'string'
        ? input.plan.name
        : '(inline)'
    ).slice(0, 200),
    status: 'RUNNING',
    dryRun: !!input.dryRun,
    autoApprove: !!input.autoApprove,
    startedBy: input.startedBy ?? 'unknown',
    phases: tracker.phases,
    approvals: [],
    rejectedApprovals: [],
    message: 'starting',
  };
  let stopRequest: { kind: 'abort' | 'rollback'; reason: string } | undefined;
  const resumed = new Set<PhaseId>();
  const scope = new CancellationScope();
  // Handlers never throw: a payload they cannot use is noted in view.rejectedMessages and the UI details.
  const messages = new MessageIntake(emptyLog(), () => setCurrentDetails(renderCutoverDetails(view)));
  view.rejectedMessages = messages.log;
  const stop = (kind: 'abort' | 'rollback', reason: string, at = new Date().toISOString()) => {
    if (!stopRequest) {
      stopRequest = { kind, reason };
      view.stopRequest = { ...stopRequest, at };
    }
    scope.cancel();
  };
  const takeStop = (kind: 'abort' | 'rollback', raw: unknown) => stop(kind, stopText(kind, messages.stop(kind, raw)));
  // Before Phase 3 it ends ABORTED with V1 untouched; from Phase 3 on it rolls back, as an abort does.
  void cancelled.then((request) => stop('abort', cancelText(request), request.at));
  setHandler(statusQuery, () => view);
  setHandler(abortSignal, (raw) => takeStop('abort', raw));
  setHandler(rollbackSignal, (raw) => takeStop('rollback', raw));
  setHandler(resumeSignal, (raw) => {
    const request = messages.resume(raw);
    if (request) (request.phase ? [request.phase] : (input.holdBefore ?? [])).forEach((p) => resumed.add(p));
  });

  const setStatus = (status: CutoverStatus, message: string) => {
    Object.assign(view, { status, message });
    upsertSearchAttributes([{ key: statusKey, value: status }]);
    setCurrentDetails(renderCutoverDetails(view));
  };
  // Ends the run before anything changed: a bad input, a plan that does not load, a plan already locked.
  const abortUnchanged = (why: string, logged: string) => {
    setStatus('ABORTED', `nothing changed: ${why}`);
    log.error(`${statusLine('ABORTED')}${logged}`);
    return view;
  };
  if (!checked.ok) return abortUnchanged(checked.message, `: invalid input: ${checked.message}`);
  setStatus('RUNNING', 'loading the plan');

  let loaded: LoadedPlan;
  try {
    loaded = await act('quick', 'Load and validate the plan').loadPlan(input.plan, {
      autoApprove: !!input.autoApprove,
    });
  } catch (err) {
    return abortUnchanged(failureMessage(err), '');
  }
  view.plan = loaded.plan.name;
  upsertSearchAttributes([{ key: planKey, value: loaded.plan.name }]);
  // Who started it, proven before anything else runs (a signed start; required with requireSignatures).
  const start = checkStartSignature(
    { required: loaded.plan.approvals.requireSignatures, keys: loaded.plan.approvals.keys },
    {
      cutoverId,
      plan: loaded.plan.name,
      planHash: planContentHash(loaded.plan),
      startedBy: view.startedBy,
      startedAt: workflowInfo().startTime.getTime(),
    },
    input.startSignature,
  );
  if (!start.ok) return abortUnchanged(start.reason, `: ${start.reason}`);
  if (start.fingerprint)
    view.startSigned = { keyFingerprint: start.fingerprint, signedAt: input.startSignature!.signedAt };
  // One cutover per plan and per service endpoint at a time, whoever started it (see plan-lock.ts).
  const refusedBy = await acquirePlanLocks(loaded, held);
  if (refusedBy) return abortUnchanged(refusedBy, `: ${refusedBy}`);
  const notify = (key: string, text: string, severity: 'info' | 'warning' | 'critical' = 'info') =>
    notifyBestEffort(loaded, { key: `${cutoverId}:${key}`, text, severity, cutoverId });
  const gates = cutoverGates(loaded, view, start.fingerprint, notify);
  if (loaded.plan.traffic) view.traffic = trafficView(loaded);
  // a message only (no search-attribute upsert): strategy bodies call it between their steps
  const say = (message: string) => {
    view.message = message;
    setCurrentDetails(renderCutoverDetails(view));
  };
  const ctx: PhaseContext = {
    cutoverId,
    runId: workflowInfo().runId,
    loaded,
    compensations: [],
    validations: (view.validations = []),
    traffic: view.traffic,
    gates,
    autoApprove: !!input.autoApprove,
    say,
  };

  const runPhase = async (id: PhaseId, body: () => Promise<string>) => {
    if (input.holdBefore?.includes(id)) {
      view.heldBefore = id;
      setStatus(view.status, `held before ${id}: send the resume signal to continue`);
      await condition(() => resumed.has(id));
      view.heldBefore = undefined;
    }
    view.currentPhase = id;
    upsertSearchAttributes([{ key: phaseKey, value: id }]);
    setStatus(view.status === 'AWAITING_APPROVAL' ? 'RUNNING' : view.status, tracker.start(id, new Date()).title);
    const message = await body();
    log.info(PhaseTracker.line(tracker.end(id, 'passed', new Date(), message)));
    setCurrentDetails(renderCutoverDetails(view));
  };

  await notify('start', `Cutover starting: ${loaded.plan.name} (${cutoverId})${input.dryRun ? ' — dry run' : ''}`);
  try {
    await scope.run(async () => {
      for (const { id } of PHASES) {
        if (input.dryRun && !DRY_RUN_PHASES.includes(id)) {
          tracker.end(id, 'skipped', new Date(), 'dry run');
          continue;
        }
        if (id === 'gate') {
          // a rehearsal's votes are in before any hold before the gate, as the status shows them
          const auto = input.autoApprove ? autoApproveGate(gates, loaded) : undefined;
          await runPhase(id, async () => auto ?? runGoNoGo(loaded, gates, view, setStatus, notify));
        } else await runPhase(id, () => BODIES[id]!(ctx));
      }
      await phases.retireAfterPhases(ctx, !!input.dryRun);
    });
  } catch (err) {
    const reason = stopRequest && isCancellation(err) ? stopRequest.reason : failureMessage(err);
    const current = tracker.current();
    if (current) log.error(PhaseTracker.line(tracker.end(current.id, 'failed', new Date(), reason)));
    if (ctx.compensations.length === 0) {
      const halted = err instanceof CutoverHalted || (stopRequest && isCancellation(err));
      setStatus('ABORTED', `${halted ? '' : 'failed before anything changed: '}${reason}; V1 untouched and serving`);
      log.warn(statusLine('ABORTED'));
      await notify('aborted', `Cutover ${cutoverId} ABORTED: ${reason}. V1 untouched.`, 'warning');
      return view;
    }
    return rollBack(reason);
  }
  // A rollback asked for as Phase 5 finished still counts: the operator saw something we did not.
  if (stopRequest?.kind === 'rollback' && ctx.compensations.length) return rollBack(stopRequest.reason);
  // A Phase 5 that passed with warnings is said as such: "all PASS" only when it is true.
  const phase5 = view.phases.find((p) => p.id === 'phase5')?.message ?? '';
  const warned = phase5.startsWith('WARN');
  const message = input.dryRun
    ? 'dry run: phases 0 and 2 passed, nothing changed'
    : warned
      ? 'V2 serving; post-cutover validation passed with warnings (Phase 5)'
      : 'V2 serving, all validation checks PASS';
  if (!input.dryRun && input.monitor !== false) await startMonitoring();
  setStatus('SUCCESS', message + (view.monitoringWorkflowId ? `; monitoring: ${view.monitoringWorkflowId}` : ''));
  log.info(statusLine('SUCCESS'));
  await notify(
    'complete',
    input.dryRun
      ? `Dry run complete ✓ - ${loaded.plan.name}`
      : warned
        ? `Cutover Complete ✓ - validation passed with warnings: ${phase5.slice(0, 500)}`
        : 'Cutover Complete ✓ - All validation checks PASS',
  );
  return view;

  /**
   * Its own workflow, abandoned on purpose: 24 hours of timers outlive this one. A failure to start it is told, never a
   * reason to roll back a good cutover.
   */
  async function startMonitoring() {
    try {
      const monitoring = await startChild(monitoringWorkflow, {
        workflowId: workflowIds.monitoring(cutoverId),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary:
          `${loaded.plan.monitoring.duration} monitoring of ` + `${loaded.plan.services.v2.name} after ${cutoverId}`,
        args: [{ plan: input.plan, loaded, cutoverId, backup: ctx.backup, baseline: ctx.baseline }],
      });
      view.monitoringWorkflowId = monitoring.workflowId;
    } catch (err) {
      log.error(`monitoring did not start: ${failureMessage(err)}`);
      await notify(
        'monitoring-not-started',
        `Cutover ${cutoverId} succeeded but its monitoring did not ` +
          `start: ${failureMessage(err)}. Start it by hand.`,
        'critical',
      );
    }
  }

  async function rollBack(reason: string): Promise<CutoverView> {
    const workflowId = workflowIds.rollback(cutoverId);
    view.rollback = { workflowId, reason };
    setStatus('ROLLING_BACK', `rolling back: ${reason}`);
    await notify('rollback', `Cutover ${cutoverId} rolling back: ${reason}`, 'critical');
    const result = await runRollbackChild(workflowId, `Rollback of ${cutoverId}`, {
      plan: input.plan,
      loaded,
      cutoverId,
      reason,
      requestedBy: cutoverId,
      compensations: [...ctx.compensations].reverse(),
      backup: ctx.backup,
      baseline: ctx.baseline,
    });
    Object.assign(view.rollback, { status: result.status, durationMs: result.durationMs, message: result.message });
    const final = result.status === 'ROLLED_BACK' ? 'ROLLED_BACK' : 'FAILED';
    setStatus(
      final,
      final === 'ROLLED_BACK'
        ? `${reason}; rolled back: V1 serving`
        : `rollback failed, needs a human: ${result.message}`,
    );
    log.warn(statusLine(final));
    return view;
  }
}
