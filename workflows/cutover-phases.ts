/**
 * The bodies of phases 0–5. Each receives the run context and registers compensations BEFORE
 * a step that may leave production changed, because a half-done stop or start needs its undo
 * as much as a finished one (the undos are idempotent).
 */
import { ActivityFailure, ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import { briefOf, type ValidationReport } from '../domain/validation-report';
import type { LoadedPlan } from '../domain/loaded-plan';
import { parseDuration } from '../domain/duration';
import { act } from './activity-proxies';
import { blueGreenActivation, keepV1Serving, retireV1 } from './strategy-blue-green';
import { canaryActivation } from './strategy-canary';
import { recordTraffic, strategyOf } from './strategy-traffic';
import type { PhaseContext } from './phase-context';
import { onHost } from './host-routing';
import { hostCheckOutcomes } from './host-checks';
import { checkPrerequisitesOnHosts } from './host-prerequisites';

/** What Phase 1 backs up, for its step: the paths, then the databases (a plan without any says the paths alone). */
const backupWhat = ({ plan }: LoadedPlan) =>
  [...plan.backup.paths, ...(plan.backup.databases ?? []).map((d) => `database ${d.name}`)].join(', ');
const label = (ctx: PhaseContext, suffix = '') => `${ctx.cutoverId}.${ctx.runId.slice(0, 8)}${suffix}`;
const v = (ctx: PhaseContext, role: 'v1' | 'v2') => `${role.toUpperCase()} (${ctx.loaded.plan.services[role].name})`;

export async function preCutoverValidation(ctx: PhaseContext): Promise<string> {
  return `${await checkPrerequisitesOnHosts(ctx.loaded)} prerequisites met`;
}

export async function backupsAndSnapshots(ctx: PhaseContext): Promise<string> {
  ctx.backup = await onHost(ctx.loaded, 'backup', 'service', `Back up ${backupWhat(ctx.loaded)}`).backupForCutover(
    ctx.loaded,
    label(ctx),
  );
  const pruned = await onHost(
    ctx.loaded,
    'backup',
    'quick',
    `Prune backups older than ` + `${ctx.loaded.plan.backup.retentionDays} days`,
  ).pruneOldBackups(ctx.loaded);
  return (
    `${ctx.backup.archive} (${ctx.backup.bytes} bytes, sha256 ` +
    `${ctx.backup.sha256.slice(0, 12)}…)${pruned ? `, ${pruned} old archive(s) pruned` : ''}`
  );
}

/** V2 runs beside V1 only for the shadow run, and is stopped again whatever happens. */
export async function v2StagingValidation(ctx: PhaseContext): Promise<string> {
  const plan = ctx.loaded.plan;
  // V2's suite runs where V2's code is: on its host when it has one.
  const testsSummary = `Run the V2 test suite: ${plan.tests.command.join(' ')}`;
  const tests = await onHost(
    ctx.loaded,
    'v2',
    'long',
    testsSummary,
    undefined,
    parseDuration(plan.tests.timeout),
  ).runPlanTests(ctx.loaded);
  try {
    await onHost(ctx.loaded, 'v2', 'service', `Start ${v(ctx, 'v2')} for the shadow run`).startService(
      ctx.loaded,
      'v2',
    );
    const hosted = await hostCheckOutcomes(ctx.loaded, 'v2', 'shadow', { v1Live: true });
    const shadowOn = act('quick', 'Shadow run: V2 KPIs against V1');
    const shadow = await (hosted ? shadowOn.shadowCompare(ctx.loaded, hosted) : shadowOn.shadowCompare(ctx.loaded));
    ctx.baseline = shadow.baseline;
    return `${tests.passed}/${tests.total} tests PASSED; shadow run: ${shadow.summary}`;
  } finally {
    await CancellationScope.nonCancellable(() =>
      onHost(ctx.loaded, 'v2', 'service', `Stop ${v(ctx, 'v2')} after the shadow run`).stopService(ctx.loaded, 'v2'),
    );
  }
}

export async function v1GracefulShutdown(ctx: PhaseContext): Promise<string> {
  if (strategyOf(ctx.loaded) !== 'cutover') return keepV1Serving(ctx);
  // V1 out of the router first: no request is on its way to V1 as it stops (503 + Retry-After meanwhile).
  const driver = ctx.loaded.plan.traffic?.driver;
  if (driver && driver !== 'file') {
    ctx.compensations.push('switchTrafficToV1');
    recordTraffic(
      ctx,
      await onHost(ctx.loaded, 'traffic', 'router', 'Take V1 out of the router before its stop').drainTrafficForStop(
        ctx.loaded,
      ),
    );
  }
  // Nobody serves from here (the drain has taken effect, or V1 begins to stop): the window's start.
  // Only a figure in messages, not a command: recorded histories replay unchanged.
  ctx.v1StopAt = Date.now();
  ctx.compensations.push('startV1');
  const { forced } = await onHost(ctx.loaded, 'v1', 'service', `Drain and stop ${v(ctx, 'v1')}`).stopService(
    ctx.loaded,
    'v1',
  );
  const stopped = `${forced ? 'V1 ignored SIGTERM and was force-stopped' : 'V1 drained and stopped'}; verified stopped`;
  // V1 kept writing while Phases 1–2 ran: the rollback restores this final snapshot, not Phase 1's.
  ctx.backup = await onHost(
    ctx.loaded,
    'backup',
    'service',
    'Final snapshot of V1 data after its stop',
  ).backupForCutover(ctx.loaded, label(ctx, '.final'));
  return `${stopped}; final snapshot ${ctx.backup.sha256.slice(0, 12)}…`;
}

export async function v2Activation(ctx: PhaseContext): Promise<string> {
  const strategy = strategyOf(ctx.loaded);
  if (strategy === 'blueGreen') return blueGreenActivation(ctx);
  if (strategy === 'canary') return canaryActivation(ctx);
  ctx.compensations.push('restoreBackup', 'stopV2');
  const health = await onHost(ctx.loaded, 'v2', 'service', `Start ${v(ctx, 'v2')} and wait until healthy`).startService(
    ctx.loaded,
    'v2',
  );
  ctx.compensations.push('switchTrafficToV1');
  const pointer = await onHost(ctx.loaded, 'traffic', 'router', 'Switch traffic to V2').switchTraffic(ctx.loaded, 'v2');
  recordTraffic(ctx, pointer?.traffic);
  // From V1's stop until V2 answered through the router nobody served (the router said 503).
  const unserved =
    ctx.traffic && ctx.v1StopAt !== undefined ? (ctx.traffic.unservedMs = Date.now() - ctx.v1StopAt) : undefined;
  const window =
    unserved !== undefined && pointer?.traffic?.verified
      ? `; nobody served for ${(unserved / 1000).toFixed(1)} s (V1 stop ` + `→ V2 verified through the router)`
      : '';
  return `V2 healthy (${health.status})${pointer ? `; traffic → ${pointer.upstream}` : ''}${window}`;
}

export async function postCutoverValidation(ctx: PhaseContext): Promise<string> {
  const hosted = await hostCheckOutcomes(ctx.loaded, 'v2', 'phase5', {
    baseline: ctx.baseline,
    baselineFromPlan: true,
  });
  const validation = act('validation', 'Production validation of V2 (5 checks)');
  const result = await (
    hosted
      ? validation.validateProduction(ctx.loaded, 'v2', ctx.baseline, hosted)
      : validation.validateProduction(ctx.loaded, 'v2', ctx.baseline)
  ).catch((err: unknown) => {
    // a FAIL is a non-retryable failure carrying its report: the view keeps that report's keys too
    const report = failedReport(err);
    if (report) ctx.validations.push(briefOf(report, 'phase5', 'v2', new Date()));
    throw err;
  });
  ctx.validations.push(briefOf(result.report, 'phase5', 'v2', new Date()));
  return result.summary;
}

/**
 * After Phase 5: the bake with V1 warm (blueGreen), then V1 stopped (blueGreen, canary); a plain cutover stopped V1 in
 * Phase 3 and has nothing left to retire, a dry run changed nothing to retire.
 */
export async function retireAfterPhases(ctx: PhaseContext, dryRun: boolean): Promise<void> {
  if (!dryRun) await retireV1(ctx);
}

function failedReport(err: unknown): ValidationReport | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  const report = cause instanceof ApplicationFailure ? (cause.details?.[0] as ValidationReport | undefined) : undefined;
  return report && typeof report === 'object' && report.checks && typeof report.checks === 'object'
    ? report
    : undefined;
}
