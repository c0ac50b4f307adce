/**
 * monitoringWorkflow: the seed's 24-hour checklist as durable timers. Full validations on the
 * plan's cadence, a sentinel probe every minute between them (an error rate over 5% rolls back
 * within minutes), 4-hourly summaries, and decision points that wait for the leads while the
 * probes go on. Continues as new before its history grows large, carrying its state.
 */
import {
  allHandlersFinished,
  condition,
  log,
  makeContinueAsNewFunc,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import {
  BUSY_WHY,
  GAP_WHY,
  formatSpan,
  initialState,
  unmeasuredMs,
  uptimeLine,
  uptimePct,
  type MonitoringInput,
  type MonitoringState,
  type MonitoringStatus,
  type MonitoringView,
} from '../domain/monitoring-model';
import { catchUp, hourLabel, nextDue, timetable } from '../domain/monitoring-schedule';
import type { Verdict } from '../domain/decision-matrix';
import { parseDuration } from '../domain/duration';
import { workflowIds } from '../domain/names';
import { phaseKey, planKey, statusKey } from '../domain/search-attributes';
import { monitoringInputSchema, TRUSTED_FIELDS } from '../domain/message-schemas';
import { emptyLog } from '../domain/message-log';
import { monitoringStatusQuery, rollbackSignal } from './messages';
import { MessageIntake, stopText } from './message-intake';
import { refuseInput, refusedMonitoring } from './input-gate';
import { ApprovalGates, type GateSpec } from './approval-gate';
import { act } from './activity-proxies';
import { checkpoint, sentinel } from './monitoring-checks';
import { runRollbackChild } from './rollback-child';
import { renderMonitoringDetails } from './monitoring-details';
import { notifyBestEffort } from './notify-best-effort';
import { DecisionPoints } from './monitoring-decisions';
import { readRouter } from './monitoring-traffic';
import { endWith } from './outcome';
import { failureMessage } from './failure-message';
import { cancelAware } from './cancel-request';
import { cancelText, type CancelRequest } from '../domain/cancel-request';

/** Continue-as-new well before the server's suggestion would matter for a 24-hour loop. */
const HISTORY_LIMIT = 4_000;

/**
 * A cancel request (UI, `temporal workflow cancel`) ends it CANCELLED after the step in hand: who
 * and when recorded, the report written, the leads told, V2 left serving (the plan has no setting
 * to roll back instead; a rollback is asked for with the rollback signal). See cancel-request.ts.
 */
export async function monitoringWorkflow(rawInput: MonitoringInput): Promise<MonitoringView> {
  return cancelAware(async (cancelled) => endWith('Monitoring', await runMonitoring(rawInput, cancelled)));
}

async function runMonitoring(rawInput: MonitoringInput, cancelled: Promise<CancelRequest>): Promise<MonitoringView> {
  // Bad input, or a hand-started run handing over what only the cutover may: ends FAILED at once.
  const refused = refuseInput<MonitoringInput>(monitoringInputSchema, rawInput, TRUSTED_FIELDS.monitoring, (i) => [
    i.cutoverId,
  ]);
  if (refused) return refusedMonitoring(rawInput, refused);
  const input = rawInput;
  const state = input.state ?? initialState(Date.now());
  // Handlers first: a status query or a rollback signal may come before the plan is loaded.
  const view: MonitoringView = {
    cutoverId: input.cutoverId,
    status: 'MONITORING',
    message: 'loading the plan',
    elapsedMs: state.elapsedMs,
    durationMs: 0,
    uptimePct: uptimePct(state),
    runs: state.runs,
    rows: state.rows,
    decisions: state.decisions,
    votes: state.votes,
    rejectedVotes: state.rejected,
    warnings: state.warnings,
  };
  let stopReason: string | undefined;
  let cancel: CancelRequest | undefined;
  void cancelled.then((request) => (cancel = request));
  setHandler(monitoringStatusQuery, () => view);
  // Never throws; an empty rollback from the UI is a rollback (see domain/message-readers.ts).
  const intake = new MessageIntake((state.rejectedMessages ??= emptyLog()), () =>
    setCurrentDetails(renderMonitoringDetails(view)),
  );
  view.rejectedMessages = intake.log;
  setHandler(rollbackSignal, (raw) => {
    stopReason ??= stopText('rollback', intake.stop('rollback', raw));
  });
  // A plan object in the input is trusted only from the cutover (the parent); started by hand,
  // the plan is loaded by the worker under its plan policy (CUTOVER_PLAN_DIR, inline plans).
  const manual = !workflowInfo().parent;
  let loaded: LoadedPlan;
  try {
    loaded = (!manual && input.loaded) || (await act('quick', 'Load and validate the plan').loadPlan(input.plan));
  } catch (err) {
    return refusedMonitoring(rawInput, `cannot load the plan: ${failureMessage(err)}`);
  }
  const { plan } = loaded;
  const table = timetable(plan.monitoring);
  view.durationMs = table.durationMs;
  const gates = new ApprovalGates(plan.approvals.approvers, '(monitoring)', true, state.votes, state.rejected);
  gates.useSignatures(plan.approvals);
  // After each vote: who is still missing, in status and details (no command from a handler).
  gates.onChange = () =>
    setCurrentDetails(renderMonitoringDetails(Object.assign(view, { message: gates.progress() ?? view.message })));
  const specFor = (index: number): GateSpec => {
    const point = plan.monitoring.decisionPoints[index];
    return {
      id: point.label,
      roles: point.roles,
      timeoutMs: parseDuration(point.timeout),
      onTimeout: point.onTimeout === 'rollback' ? 'NO_GO' : 'GO',
      summary: point.label,
    };
  };
  if (state.openDecision) gates.open(specFor(state.openDecision.index));
  const openDecisionView = (
    point: (typeof plan.monitoring.decisionPoints)[number],
    open: NonNullable<MonitoringState['openDecision']>,
  ) => ({
    label: point.label,
    roles: point.roles,
    workflowId: workflowInfo().workflowId,
    deadlineAt: new Date(state.startMs + open.deadlineOffsetMs).toISOString(),
    windowMs: open.windowMs ?? parseDuration(point.timeout),
    onTimeout: point.onTimeout === 'rollback' ? 'rollback' : 'continue',
    noGo: 'roll back',
    signed: !!plan.approvals.requireSignatures,
    deadlineOffsetMs: open.deadlineOffsetMs,
    openedOffsetMs: open.openedOffsetMs,
  });
  let upserted: MonitoringStatus | undefined;
  const refresh = (status: MonitoringStatus = view.status, message = view.message) => {
    // A monitoring that ended (rolled back, completed) takes no votes: it never shows one as awaited.
    const active = status === 'MONITORING' || status === 'AWAITING_DECISION';
    const point = active && state.openDecision && plan.monitoring.decisionPoints[state.openDecision.index];
    Object.assign(view, {
      status,
      message,
      elapsedMs: state.elapsedMs,
      uptimePct: uptimePct(state),
      openDecision: point ? openDecisionView(point, state.openDecision!) : undefined,
      gaps: state.gaps ?? [],
      sentinelSamples: state.sentinelSamples ?? [],
      unmeasuredMs: unmeasuredMs(state.gaps),
      probes: state.probes.total,
      traffic: state.traffic,
      lastValidation: state.lastValidation,
    });
    // The plan too, so `CutoverPlan="x" AND CutoverStatus="ROLLED_BACK"` finds a rollback after SUCCESS.
    // Only when the status changes: once a minute it was an event and a visibility write each
    // probe for nothing.
    if (upserted !== status) {
      upsertSearchAttributes([
        { key: statusKey, value: status },
        { key: phaseKey, value: 'monitoring' },
        { key: planKey, value: plan.name },
      ]);
      upserted = status;
    }
    setCurrentDetails(renderMonitoringDetails(view));
    return view;
  };
  const notify = async (key: string, text: string, severity: 'info' | 'warning' | 'critical' = 'info') => {
    if (state.notified.includes(key)) return;
    state.notified.push(key);
    await notifyBestEffort(loaded, {
      key: `${input.cutoverId}:monitoring:${key}`,
      text,
      severity,
      cutoverId: input.cutoverId,
    });
  };
  const act_on = async (verdict: Verdict, label: string) => {
    if (verdict.action === 'rollback') stopReason ??= `${label}: ${verdict.reasons.join('; ')}`;
    if (verdict.action === 'escalate')
      await notify(
        `escalate:${label}`,
        `${label}: ${verdict.reasons.join('; ')} — escalating to the ` + `leads (plan says escalate, not roll back)`,
        'critical',
      );
    for (const reason of verdict.action === 'warn' ? verdict.reasons : []) {
      // One entry and one message per kind of warning (memory, latency…), kept at its latest value.
      const kind = reason.split(' ')[0];
      const entry = `${reason} (${label})`;
      const at = state.warnings.findIndex((w) => w.startsWith(`${kind} `));
      if (at >= 0) state.warnings[at] = entry;
      else state.warnings.push(entry);
      await notify(`warn:${kind}`, `WARN ${label}: ${reason}`, 'warning');
    }
  };
  refresh('MONITORING', `monitoring ${plan.services.v2.name} for ${plan.monitoring.duration}`);
  if (state.runs === 1) await readRouter(loaded, state, 0, 'monitoring start');
  if (state.runs === 1)
    await notify(
      'start',
      `Monitoring ${plan.services.v2.name} for ` +
        `${plan.monitoring.duration}: ${table.validations.length} ` +
        `validations, decision points at ${plan.monitoring.decisionPoints.map((d) => d.at).join(', ')}`,
    );

  const points = new DecisionPoints({ state, gates, specFor, notify, lateAfterMs: table.sentinelMs });
  for (;;) {
    if (stopReason || cancel) break;
    const deadline = state.openDecision?.deadlineOffsetMs;
    // Probes go on while the leads decide, even past the 24 hours (the final sign-off).
    const probeUntil = deadline !== undefined && deadline > table.durationMs ? deadline - 1 : undefined;
    const due = nextDue(table, state.elapsedMs, probeUntil);
    if (!due && deadline === undefined) break;
    const target = Math.min(due?.at ?? Infinity, deadline ?? Infinity);
    const waitMs = state.startMs + target - Date.now();
    const what =
      target === deadline
        ? `${specFor(state.openDecision!.index).id}: deadline`
        : due!.decision !== undefined
          ? plan.monitoring.decisionPoints[due!.decision].label
          : due!.kinds.includes('validation')
            ? `${hourLabel(target)} validation`
            : 'Sentinel probe';
    view.next = { offsetMs: target, what };
    const aliveMs = Date.now() - state.startMs;
    const woken = () => !!stopReason || !!cancel || gates.outcome() !== undefined;
    const timerFired = waitMs > 0 && !(await condition(woken, waitMs, { summary: what }));
    if (stopReason || cancel) break;
    const now = Date.now() - state.startMs;
    // A timer that fired more than a probe interval after it was due: the worker (or the server)
    // was gone. Nobody measured that time, and the leads could not vote in it.
    const outage = timerFired && now - target > table.sentinelMs;
    if (outage) {
      const gap = {
        fromOffsetMs: target,
        toOffsetMs: now,
        from: new Date(state.startMs + target).toISOString(),
        to: new Date(state.startMs + now).toISOString(),
        why: GAP_WHY,
      };
      (state.gaps ??= []).push(gap);
      points.extendForOutage(aliveMs, now);
      if (now - target > 3 * table.sentinelMs) {
        await notify(
          `gap:${target}`,
          `Monitoring resumed at ${hourLabel(now)}: not measured for ` +
            `${formatSpan(now - target)} (from ${hourLabel(target)}, ` +
            `${GAP_WHY}); uptime counts measured time only`,
          'warning',
        );
      }
    }
    // Per probe, only what is needed: each promise in workflow code costs the SDK's promise hook a
    // stack trace (≈ a third of the workflow thread's time per probe, measured).
    const settled = points.due(now) ? await points.settle(now) : undefined;
    if (settled) {
      if (settled.rollbackReason) stopReason ??= settled.rollbackReason;
      refresh('MONITORING', `${settled.label}: ${settled.outcome}`);
    }
    if (!due || now < due.at) continue;
    // Behind by more than a probe interval (an outage, or a long step such as a FAIL re-run):
    // the missed probes are skipped, not run in a burst that would count unmeasured time as up.
    const behind = now - due.at > table.sentinelMs;
    const step = behind ? catchUp(table, state.elapsedMs, now, probeUntil) : undefined;
    // Behind without an outage seen (a step ran long: a FAIL re-run, an activity retried after its
    // worker died): nothing was probed meanwhile either, so that is a gap too.
    if (step && !outage && step.skippedProbes + (step.validationAt !== undefined ? 1 : 0) > 1) {
      (state.gaps ??= []).push({
        fromOffsetMs: due.at,
        toOffsetMs: now,
        from: new Date(state.startMs + due.at).toISOString(),
        to: new Date(state.startMs + now).toISOString(),
        why: BUSY_WHY,
      });
    }
    const at = step ? step.lastAt : due.at;
    state.elapsedMs = at;
    const validationAt = step ? step.validationAt : due.kinds.includes('validation') ? due.at : undefined;
    const summaryAt = step ? step.summaryAt : due.kinds.includes('summary') ? due.at : undefined;
    const decisions = step ? step.decisions : due.decision !== undefined ? [{ index: due.decision, at: due.at }] : [];
    const label = hourLabel(at);
    if (validationAt !== undefined) {
      const late = step
        ? `ran late at ${hourLabel(now)}: ${outage ? GAP_WHY : 'the previous step ran long'}`
        : undefined;
      await act_on(await checkpoint(loaded, state, validationAt, input.baseline, late), hourLabel(validationAt));
    }
    if (!step && due.kinds.includes('sentinel')) {
      const verdict = await sentinel(loaded, state, due.at);
      if (verdict.action !== 'ok') await act_on(verdict, `${label} sentinel`);
    }
    if (summaryAt !== undefined && !stopReason) {
      await notify(
        `summary:${summaryAt}`,
        `${hourLabel(summaryAt)} checkpoint: ` +
          (`` +
            (state.warnings.length
              ? `${state.warnings.length} warning(s): ${state.warnings.join('; ')}`
              : 'all metrics stable ✓') +
            ` `) +
          `(${uptimeLine(state)})`,
      );
    }
    // who serves at each validation and decision point, for the status, details and report
    const moments = [
      validationAt !== undefined ? `${hourLabel(validationAt)} validation` : '',
      ...decisions.map((d) => plan.monitoring.decisionPoints[d.index].label),
    ].filter(Boolean);
    if (moments.length) await readRouter(loaded, state, at, moments.join(' · '));
    for (const point of stopReason || cancel ? [] : decisions) await points.open(point.index, point.at);
    refresh(
      state.openDecision ? 'AWAITING_DECISION' : 'MONITORING',
      `${label}: ${state.rows.at(-1)?.status ?? 'probing'}`,
    );
    // A rollback (or a cancel) decided in this step is carried out here, never lost to a continue-as-new.
    if (stopReason || cancel) break;
    // A newer build became current: continue as new now, and the next run starts on it (the run
    // itself is pinned), so the old build can drain while the monitoring goes on.
    const upgrade = workflowInfo().targetWorkerDeploymentVersionChanged;
    if (upgrade || workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_LIMIT) {
      await condition(allHandlersFinished);
      const why = upgrade ? 'to the current worker build' : `history ${workflowInfo().historyLength} events`;
      log.info(`continuing as new at ${label} (${why})`);
      // an unversioned worker (no deployment) must not ask for a versioning behaviour: the server refuses it
      const versioned = workflowInfo().currentDeploymentVersion !== undefined;
      const next = makeContinueAsNewFunc<typeof monitoringWorkflow>(
        versioned ? { initialVersioningBehavior: 'AUTO_UPGRADE' } : {},
      );
      await next({ ...input, loaded, state: { ...state, runs: state.runs + 1 } });
    }
  }

  if (stopReason) return rollBack(stopReason);
  if (cancel) return endCancelled(cancel);
  await readRouter(loaded, state, state.elapsedMs, 'monitoring end');
  const report = await act('quick', `Write the ${plan.monitoring.duration} monitoring report`).writeMonitoringReport(
    loaded,
    refresh('COMPLETED', `${plan.monitoring.duration} monitoring complete, ${uptimeLine(state)}`),
  );
  view.report = report;
  await notify(
    'complete',
    `` +
      (table.durationMs >= 24 * 3_600_000
        ? '24-Hour Cutover Complete ✓'
        : `${plan.monitoring.duration} monitoring complete ✓`) +
      ` ` +
      `— ${uptimeLine(state)}, ${state.rows.length} validations, ` +
      `${state.warnings.length} warning(s). Report: ${report.markdown}`,
  );
  return refresh();

  /** A recorded end like the others (router read, report, notification); V2 is left serving. */
  async function endCancelled(request: CancelRequest): Promise<MonitoringView> {
    view.cancelRequest = request;
    await readRouter(loaded, state, state.elapsedMs, 'monitoring cancelled');
    const message = `${cancelText(request)}; V2 keeps serving; ${uptimeLine(state)}`;
    const writer = act('quick', 'Write the monitoring report');
    const report = await writer.writeMonitoringReport(loaded, refresh('CANCELLED', message));
    view.report = report;
    const when = `${hourLabel(state.elapsedMs)} of ${plan.monitoring.duration}`;
    const text = `Monitoring of ${input.cutoverId} CANCELLED at ${when}: ${message}. Report: ${report.markdown}`;
    await notify('cancelled', text, 'warning');
    return refresh();
  }

  async function rollBack(reason: string): Promise<MonitoringView> {
    const workflowId = workflowIds.rollback(input.cutoverId);
    state.rollbackStartedOffsetMs = Date.now() - state.startMs;
    view.rollback = { workflowId, reason, startedOffsetMs: state.rollbackStartedOffsetMs };
    refresh('ROLLING_BACK', reason);
    await notify('rollback', `Monitoring of ${input.cutoverId}: rolling back — ${reason}`, 'critical');
    const result = await runRollbackChild(workflowId, `Rollback of ${input.cutoverId} from monitoring`, {
      plan: input.plan,
      loaded,
      cutoverId: input.cutoverId,
      reason,
      requestedBy: workflowInfo().workflowId,
      backup: input.backup,
      baseline: input.baseline,
    });
    Object.assign(view.rollback!, { status: result.status, durationMs: result.durationMs, message: result.message });
    await readRouter(loaded, state, Date.now() - state.startMs, 'after the rollback');
    view.report = await act('quick', 'Write the monitoring report').writeMonitoringReport(
      loaded,
      refresh(
        result.status === 'ROLLED_BACK' ? 'ROLLED_BACK' : 'FAILED',
        `${reason}; rollback ${result.status}: ${result.message}`,
      ),
    );
    return refresh();
  }
}
