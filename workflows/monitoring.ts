/**
 * monitoringWorkflow: the seed's 24-hour checklist as durable timers. Full validations on the
 * plan's cadence, a sentinel probe every minute between them (an error rate over 5% rolls back
 * within minutes), 4-hourly summaries, and decision points that wait for the leads while the
 * probes go on. Continues as new before its history grows large, carrying its state.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import { initialState, uptimePct, type MonitoringInput, type MonitoringStatus, type MonitoringView } from '../domain/monitoring-model';
import { hourLabel, nextDue, timetable } from '../domain/monitoring-schedule';
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

/** Continue-as-new well before the server's suggestion would matter for a 24-hour loop. */
const HISTORY_LIMIT = 4_000;

export async function monitoringWorkflow(rawInput: MonitoringInput): Promise<MonitoringView> {
  // Bad input, or a hand-started run handing over what only the cutover may: ends FAILED at once.
  const refused = refuseInput<MonitoringInput>(monitoringInputSchema, rawInput, TRUSTED_FIELDS.monitoring, (i) => [i.cutoverId]);
  if (refused) return refusedMonitoring(rawInput, refused);
  const input = rawInput;
  const state = input.state ?? initialState(Date.now());
  // Handlers first: a status query or a rollback signal may come before the plan is loaded.
  const view: MonitoringView = { cutoverId: input.cutoverId, status: 'MONITORING', message: 'loading the plan', elapsedMs: state.elapsedMs, durationMs: 0, uptimePct: uptimePct(state), runs: state.runs, rows: state.rows, decisions: state.decisions, votes: state.votes, rejectedVotes: state.rejected, warnings: state.warnings };
  let stopReason: string | undefined;
  setHandler(monitoringStatusQuery, () => view);
  // Never throws; an empty rollback from the UI is a rollback (see domain/message-readers.ts).
  const intake = new MessageIntake((state.rejectedMessages ??= emptyLog()), () => setCurrentDetails(renderMonitoringDetails(view)));
  view.rejectedMessages = intake.log;
  setHandler(rollbackSignal, (raw) => {
    stopReason ??= stopText('rollback', intake.stop('rollback', raw));
  });
  // A plan object in the input is trusted only from the cutover (the parent); started by hand,
  // the plan is loaded by the worker under its plan policy (CUTOVER_PLAN_DIR, inline plans).
  const manual = !workflowInfo().parent && patched('monitoring-trusts-only-parent-plan');
  const loaded: LoadedPlan = (!manual && input.loaded) || (await act('quick', 'Load and validate the plan').loadPlan(input.plan));
  const { plan } = loaded;
  const table = timetable(plan.monitoring);
  view.durationMs = table.durationMs;
  const gates = new ApprovalGates(plan.approvals.approvers, '(monitoring)', true, state.votes, state.rejected);
  gates.useSignatures(plan.approvals);
  // After each vote: who is still missing, in status and details (no command from a handler).
  gates.onChange = () => setCurrentDetails(renderMonitoringDetails(Object.assign(view, { message: gates.progress() ?? view.message })));
  const specFor = (index: number): GateSpec => {
    const point = plan.monitoring.decisionPoints[index];
    return { id: point.label, roles: point.roles, timeoutMs: parseDuration(point.timeout), onTimeout: point.onTimeout === 'rollback' ? 'NO_GO' : 'GO', summary: point.label };
  };
  if (state.openDecision) gates.open(specFor(state.openDecision.index));
  const refresh = (status: MonitoringStatus = view.status, message = view.message) => {
    const point = state.openDecision && plan.monitoring.decisionPoints[state.openDecision.index];
    Object.assign(view, {
      status,
      message,
      elapsedMs: state.elapsedMs,
      uptimePct: uptimePct(state),
      openDecision: point ? { label: point.label, roles: point.roles, deadlineOffsetMs: state.openDecision!.deadlineOffsetMs } : undefined,
    });
    // The plan too, so `CutoverPlan="x" AND CutoverStatus="ROLLED_BACK"` finds a rollback after SUCCESS.
    upsertSearchAttributes([{ key: statusKey, value: status }, { key: phaseKey, value: 'monitoring' }, { key: planKey, value: plan.name }]);
    setCurrentDetails(renderMonitoringDetails(view));
    return view;
  };
  const notify = async (key: string, text: string, severity: 'info' | 'warning' | 'critical' = 'info') => {
    if (state.notified.includes(key)) return;
    state.notified.push(key);
    await notifyBestEffort(loaded, { key: `${input.cutoverId}:monitoring:${key}`, text, severity, cutoverId: input.cutoverId });
  };
  const act_on = async (verdict: Verdict, label: string) => {
    if (verdict.action === 'rollback') stopReason ??= `${label}: ${verdict.reasons.join('; ')}`;
    if (verdict.action === 'escalate') await notify(`escalate:${label}`, `${label}: ${verdict.reasons.join('; ')} — escalating to the leads (plan says escalate, not roll back)`, 'critical');
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
  if (state.runs === 1) await notify('start', `Monitoring ${plan.services.v2.name} for ${plan.monitoring.duration}: ${table.validations.length} validations, decision points at ${plan.monitoring.decisionPoints.map((d) => d.at).join(', ')}`);

  for (;;) {
    if (stopReason) break;
    const deadline = state.openDecision?.deadlineOffsetMs;
    // Probes go on while the leads decide, even past the 24 hours (the final sign-off). Patched:
    // a monitoring already waiting at its sign-off when this came in replays as it ran.
    const probeUntil = deadline !== undefined && deadline > table.durationMs && patched('probe-during-final-sign-off') ? deadline - 1 : undefined;
    const due = nextDue(table, state.elapsedMs, probeUntil);
    if (!due && deadline === undefined) break;
    const target = Math.min(due?.at ?? Infinity, deadline ?? Infinity);
    const waitMs = state.startMs + target - Date.now();
    const what = target === deadline ? `${specFor(state.openDecision!.index).id}: deadline` : due!.decision !== undefined ? plan.monitoring.decisionPoints[due!.decision].label : due!.kinds.includes('validation') ? `${hourLabel(target)} validation` : 'Sentinel probe';
    view.next = { offsetMs: target, what };
    if (waitMs > 0) await condition(() => !!stopReason || gates.outcome() !== undefined, waitMs, { summary: what });
    if (stopReason) break;
    const now = Date.now() - state.startMs;
    if (state.openDecision) {
      const decided = gates.outcome();
      if (decided || now >= state.openDecision.deadlineOffsetMs) {
        const spec = specFor(state.openDecision.index);
        if (!decided) gates.recordTimeout(spec);
        const outcome = (decided ?? spec.onTimeout) === 'GO' ? 'continue' : 'rollback';
        state.decisions.push({ label: spec.id, offsetMs: state.openDecision.openedOffsetMs, openedAt: state.openDecision.openedAt, decidedAt: new Date().toISOString(), outcome, via: decided ? 'votes' : 'timeout-default', roles: spec.roles });
        gates.close();
        state.openDecision = undefined;
        await notify(`decision:${spec.id}`, `${spec.id}: ${outcome === 'continue' ? 'GO — monitoring continues' : 'ROLLBACK decided'}${decided ? '' : ' (no decision in time: plan default)'}`, outcome === 'rollback' ? 'critical' : 'info');
        if (outcome === 'rollback') stopReason = `${spec.id}: the leads decided to roll back`;
        refresh('MONITORING', `${spec.id}: ${outcome}`);
      }
    }
    if (!due || now < due.at) continue;
    state.elapsedMs = due.at;
    const label = hourLabel(due.at);
    if (due.kinds.includes('validation')) await act_on(await checkpoint(loaded, state, due.at, input.baseline), label);
    if (due.kinds.includes('sentinel')) await act_on(await sentinel(loaded, state, due.at), `${label} sentinel`);
    if (due.kinds.includes('summary') && !stopReason) {
      await notify(`summary:${due.at}`, `${label} checkpoint: ${state.warnings.length ? `${state.warnings.length} warning(s): ${state.warnings.join('; ')}` : 'all metrics stable ✓'} (uptime ${uptimePct(state)}%)`);
    }
    if (due.decision !== undefined && !stopReason) {
      const spec = specFor(due.decision);
      gates.open(spec);
      state.openDecision = { index: due.decision, openedOffsetMs: due.at, deadlineOffsetMs: due.at + spec.timeoutMs, openedAt: new Date().toISOString() };
      await notify(`open:${spec.id}`, `${spec.id}: waiting for ${spec.roles.join(', ')} (GO to continue, NO_GO to roll back; default ${spec.onTimeout === 'GO' ? 'continue' : 'rollback'} after ${plan.monitoring.decisionPoints[due.decision].timeout})`);
    }
    refresh(state.openDecision ? 'AWAITING_DECISION' : 'MONITORING', `${label}: ${state.rows.at(-1)?.status ?? 'probing'}`);
    // A rollback decided in this step is carried out here, never lost to a continue-as-new.
    if (stopReason) break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_LIMIT) {
      await condition(allHandlersFinished);
      log.info(`continuing as new at ${label} (history ${workflowInfo().historyLength} events)`);
      await continueAsNew<typeof monitoringWorkflow>({ ...input, loaded, state: { ...state, runs: state.runs + 1 } });
    }
  }

  if (stopReason) return rollBack(stopReason);
  const report = await act('quick', 'Write the 24-hour report').writeMonitoringReport(loaded, refresh('COMPLETED', `24-hour monitoring complete, uptime ${uptimePct(state)}%`));
  view.report = report;
  await notify('complete', `24-Hour Cutover Complete ✓ — uptime ${uptimePct(state)}%, ${state.rows.length} validations, ${state.warnings.length} warning(s). Report: ${report.markdown}`);
  return refresh();

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
    view.report = await act('quick', 'Write the monitoring report').writeMonitoringReport(loaded, refresh(result.status === 'ROLLED_BACK' ? 'ROLLED_BACK' : 'FAILED', `${reason}; rollback ${result.status}: ${result.message}`));
    return refresh();
  }
}
