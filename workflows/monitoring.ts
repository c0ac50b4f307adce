/**
 * monitoringWorkflow: the seed's 24-hour checklist as durable timers. Full validations on the
 * plan's cadence, a sentinel probe every minute between them (an error rate over 5% rolls back
 * within minutes), 4-hourly summaries, and decision points that wait for the leads while the
 * probes go on. Continues as new before its history grows large, carrying its state.
 *
 * Read top to bottom: start (input, handlers, plan) → the loop, one due moment at a time (wait for
 * it → note an outage → close a decided point → run what is due → open decision points →
 * continue-as-new when due) → the ending (monitoring-endings.ts). The run's state is one object
 * (monitoring-run.ts); what a moment is and what runs at it, monitoring-moments.ts.
 */
import {
  allHandlersFinished,
  condition,
  log,
  makeContinueAsNewFunc,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import { GAP_WHY, uptimeLine, type MonitoringInput, type MonitoringView } from '../domain/monitoring-model';
import { hourLabel } from '../domain/monitoring-schedule';
import { formatSpan } from '../domain/duration';
import { creditOutage } from '../domain/voting-window';
import { monitoringInputSchema, TRUSTED_FIELDS } from '../domain/message-schemas';
import { emptyLog } from '../domain/message-log';
import type { CancelRequest } from '../domain/cancel-request';
import { monitoringStatusQuery, rollbackSignal } from './messages';
import { MessageIntake, stopText } from './message-intake';
import { refuseInput, refusedMonitoring } from './input-gate';
import { act } from './activity-proxies';
import { checkpoint, sentinel } from './monitoring-checks';
import { renderMonitoringDetails } from './monitoring-details';
import { readRouter } from './monitoring-traffic';
import { MonitoringRun, firstView, stateOf, type StopRequest } from './monitoring-run';
import { completeMonitoring, endCancelled, rollBack } from './monitoring-endings';
import { nextMoment, whatRunsNow, type Moment, type Step, type Wakeup } from './monitoring-moments';
import { endWith } from './outcome';
import { failureMessage } from './failure-message';
import { cancelAware } from './cancel-request';

/**
 * Continue-as-new long before the server's suggestion: a worker that lost its cache replays the
 * whole run in one workflow task, and on a busy 2-core machine replaying 3,300 events took 15–19 s,
 * past the 10 s task timeout, so every retry expired again and the monitoring stood still.
 */
const HISTORY_LIMIT = 1_500;

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
  const state = stateOf(input);
  // Handlers first: a status query or a rollback signal may come before the plan is loaded.
  const view = firstView(input, state);
  const stop: StopRequest = {};
  void cancelled.then((request) => (stop.cancel = request));
  setHandler(monitoringStatusQuery, () => view);
  // Never throws; an empty rollback from the UI is a rollback (see domain/message-readers.ts).
  const intake = new MessageIntake((state.rejectedMessages ??= emptyLog()), () =>
    setCurrentDetails(renderMonitoringDetails(view)),
  );
  view.rejectedMessages = intake.log;
  setHandler(rollbackSignal, (raw) => {
    stop.rollback ??= stopText('rollback', intake.stop('rollback', raw));
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
  const run = new MonitoringRun(input, loaded, state, view, stop);
  await announceStart(run);
  await monitor(run);
  if (stop.rollback) return rollBack(run, stop.rollback);
  if (stop.cancel) return endCancelled(run, stop.cancel);
  return completeMonitoring(run);
}

async function announceStart(run: MonitoringRun): Promise<void> {
  const { plan, state, table } = run;
  run.refresh('MONITORING', `monitoring ${plan.services.v2.name} for ${plan.monitoring.duration}`);
  if (state.runs !== 1) return;
  await readRouter(run.loaded, state, 0, 'monitoring start');
  await run.notify(
    'start',
    `Monitoring ${plan.services.v2.name} for ` +
      `${plan.monitoring.duration}: ${table.validations.length} ` +
      `validations, decision points at ${plan.monitoring.decisionPoints.map((d) => d.at).join(', ')}`,
  );
}

/** The loop: one due moment (or an open decision's deadline) at a time, until the end or a stop. */
async function monitor(run: MonitoringRun): Promise<void> {
  for (;;) {
    if (run.stopping) return;
    const next = nextMoment(run);
    if (!next) return;
    const woke = await waitFor(run, next);
    if (run.stopping) return;
    if (woke.outage) await recordOutage(run, next.target, woke);
    // Per probe, only what is needed: each promise in workflow code costs the SDK's promise hook a
    // stack trace (≈ a third of the workflow thread's time per probe, measured).
    if (run.points.closable(woke.now)) await closeDecisionPoint(run, woke.now);
    if (!next.due || woke.now < next.due.at) continue;
    const step = whatRunsNow(run, next, woke);
    await runDueChecks(run, step);
    if (step.summaryAt !== undefined && !run.stop.rollback) await sendSummary(run, step.summaryAt);
    await readRouterAtMoments(run, step);
    if (!run.stopping) for (const point of step.decisions) await run.points.open(point.index, point.at);
    run.refresh(
      run.state.openDecision ? 'AWAITING_DECISION' : 'MONITORING',
      `${hourLabel(step.at)}: ${run.state.rows.at(-1)?.status ?? 'probing'}`,
    );
    // A rollback (or a cancel) decided in this step is carried out here, never lost to a continue-as-new.
    if (run.stopping) return;
    await continueAsNewIfDue(run, hourLabel(step.at));
  }
}

/** Sleeps until the moment; woken early by a stop or by the open point's votes deciding it. */
async function waitFor(run: MonitoringRun, next: Moment): Promise<Wakeup> {
  run.view.next = { offsetMs: next.target, what: next.what };
  const aliveAt = run.offsetNow();
  const waitMs = next.target - aliveAt;
  const woken = () => run.stopping || run.gates.outcome() !== undefined;
  const timerFired = waitMs > 0 && !(await condition(woken, waitMs, { summary: next.what }));
  const now = run.offsetNow();
  // Nobody measured that time, and the leads could not vote in it.
  return { now, aliveAt, outage: timerFired && now - next.target > run.table.sentinelMs };
}

/** The unmeasured time as a gap, given back to an open decision's voters, and told when long. */
async function recordOutage(run: MonitoringRun, target: number, { now, aliveAt }: Wakeup): Promise<void> {
  const { state, table } = run;
  (state.gaps ??= []).push({
    fromOffsetMs: target,
    toOffsetMs: now,
    from: new Date(state.startMs + target).toISOString(),
    to: new Date(state.startMs + now).toISOString(),
    why: GAP_WHY,
  });
  if (state.openDecision) creditOutage(state.openDecision, aliveAt, now);
  if (now - target > 3 * table.sentinelMs)
    await run.notify(
      `gap:${target}`,
      `Monitoring resumed at ${hourLabel(now)}: not measured for ` +
        `${formatSpan(now - target)} (from ${hourLabel(target)}, ` +
        `${GAP_WHY}); uptime counts measured time only`,
      'warning',
    );
}

async function closeDecisionPoint(run: MonitoringRun, now: number): Promise<void> {
  const closed = await run.points.closeIfDone(now);
  if (!closed) return;
  if (closed.rollbackReason) run.stop.rollback ??= closed.rollbackReason;
  run.refresh('MONITORING', `${closed.label}: ${closed.outcome}`);
}

/** The full validation (a checkpoint row) or the sentinel probe, and what their verdicts ask for. */
async function runDueChecks(run: MonitoringRun, step: Step): Promise<void> {
  const { loaded, state, input } = run;
  if (step.validationAt !== undefined) {
    const verdict = await checkpoint(loaded, state, step.validationAt, input.baseline, step.late);
    await run.actOnVerdict(verdict, hourLabel(step.validationAt));
  }
  if (step.sentinel) {
    const verdict = await sentinel(loaded, state, step.at);
    if (verdict.action !== 'ok') await run.actOnVerdict(verdict, `${hourLabel(step.at)} sentinel`);
  }
}

async function sendSummary(run: MonitoringRun, summaryAt: number): Promise<void> {
  const { warnings } = run.state;
  const stand = warnings.length ? `${warnings.length} warning(s): ${warnings.join('; ')}` : 'all metrics stable ✓';
  await run.notify(`summary:${summaryAt}`, `${hourLabel(summaryAt)} checkpoint: ${stand} (${uptimeLine(run.state)})`);
}

/** Who serves at each validation and decision point, for the status, details and report. */
async function readRouterAtMoments(run: MonitoringRun, step: Step): Promise<void> {
  const moments = [
    step.validationAt !== undefined ? `${hourLabel(step.validationAt)} validation` : '',
    ...step.decisions.map((d) => run.plan.monitoring.decisionPoints[d.index].label),
  ].filter(Boolean);
  if (moments.length) await readRouter(run.loaded, run.state, step.at, moments.join(' · '));
}

/**
 * Before the history grows large, or when a newer build became current: the next run starts on
 * it (the run itself is pinned), so the old build can drain while the monitoring goes on.
 */
async function continueAsNewIfDue(run: MonitoringRun, label: string): Promise<void> {
  const upgrade = workflowInfo().targetWorkerDeploymentVersionChanged;
  if (!upgrade && !workflowInfo().continueAsNewSuggested && workflowInfo().historyLength <= HISTORY_LIMIT) return;
  await condition(allHandlersFinished);
  const why = upgrade ? 'to the current worker build' : `history ${workflowInfo().historyLength} events`;
  log.info(`continuing as new at ${label} (${why})`);
  // an unversioned worker (no deployment) must not ask for a versioning behaviour: the server refuses it
  const versioned = workflowInfo().currentDeploymentVersion !== undefined;
  const next = makeContinueAsNewFunc<typeof monitoringWorkflow>(
    versioned ? { initialVersioningBehavior: 'AUTO_UPGRADE' } : {},
  );
  await next({ ...run.input, loaded: run.loaded, state: { ...run.state, runs: run.state.runs + 1 } });
}
