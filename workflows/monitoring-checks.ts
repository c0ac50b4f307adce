/**
 * What the monitoring loop does at each due moment: a sentinel probe or a full validation,
 * each turned into figures and a verdict of the decision matrix. State is mutated in place.
 */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { BaselineValues } from '../domain/baseline';
import { SENTINEL_SAMPLES_KEPT, type MonitoringState } from '../domain/monitoring-model';
import { rollbackMatrix, type Verdict } from '../domain/decision-matrix';
import { COUNTED_KEPT, cpuPct, judgeErrorRate, probeCounts } from '../domain/monitoring-figures';
import { checkpointReportName, hourLabel } from '../domain/monitoring-schedule';
import { parseDuration } from '../domain/duration';
import { act } from './activity-proxies';
import { hostCheckOutcomes, validationWithHostChecks } from './host-checks';
import { hostedCheckGroups } from '../domain/host-placement';
import { weighOutcomes } from './monitoring-outcomes';
import { failureMessage } from './failure-message';
import { CHECK_NAMES, briefOf, latencyOf, type CheckStatus, type ValidationReport } from '../domain/validation-report';

// A probe every minute: a local activity keeps it out of the task queue round trip and history.
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 2 } });

/**
 * Command checks with a host run on its agent first (a task-queue round trip a minute, for those
 * plans only); other plans go straight to the local activity, one promise per probe.
 */
const probe = (loaded: LoadedPlan) =>
  hostedCheckGroups(loaded.plan, 'v2', 'sentinel').length
    ? hostCheckOutcomes(loaded, 'v2', 'sentinel').then((hosted) =>
        hosted ? local.sentinelProbe(loaded, 'v2', hosted) : local.sentinelProbe(loaded, 'v2'),
      )
    : local.sentinelProbe(loaded, 'v2');

/** A probe's reading into the state (sync: one async level less per probe, see monitoring.ts). */
function record(
  reading: Awaited<ReturnType<typeof probe>>,
  state: MonitoringState,
  offsetMs: number,
  plan: LoadedPlan['plan'],
) {
  state.probes.total++;
  if (reading.healthy) state.probes.healthy++;
  const counts = probeCounts(state.lastCounters, reading);
  if (reading.requests !== undefined && reading.errors !== undefined)
    state.lastCounters = { requests: reading.requests, errors: reading.errors };
  const counted = (state.counted ??= []);
  if (counts) {
    counted.push({ offsetMs, sinceMs: state.lastCountedMs ?? offsetMs, ...counts });
    counted.splice(0, counted.length - COUNTED_KEPT);
    state.lastCountedMs = offsetMs;
  }
  const t = plan.thresholds;
  const judged = judgeErrorRate(counted, offsetMs, { ...t, errorRateWindowMs: parseDuration(t.errorRateWindow) });
  const errorRate = judged && {
    errorRate: judged.rate,
    errorRateBasis: judged.basis,
    errorRateInconclusive: !!judged.inconclusive,
  };
  const cpu = cpuPct(state.lastCpu, reading.cpuSeconds, offsetMs);
  if (reading.cpuSeconds !== null) state.lastCpu = { seconds: reading.cpuSeconds, offsetMs };
  const samples = (state.sentinelSamples ??= []);
  samples.push({
    offsetMs,
    at: new Date().toISOString(),
    healthy: reading.healthy,
    errorRatePct: judged && pct(judged.rate),
    errorRateRequests: judged?.requests,
    errorRateNote: judged?.inconclusive,
    memoryMb: reading.memoryMb,
    cpuPct: cpu ?? null,
    detail: reading.healthy ? undefined : reading.detail.slice(0, 200),
  });
  samples.splice(0, samples.length - SENTINEL_SAMPLES_KEPT);
  return { reading, errorRate, judged, cpu };
}

const pct = (rate: number) => Math.round(rate * 100_000) / 1000;

export async function sentinel(loaded: LoadedPlan, state: MonitoringState, offsetMs: number): Promise<Verdict> {
  const { reading, errorRate } = record(await probe(loaded), state, offsetMs, loaded.plan);
  const checks = weighOutcomes(loaded, state, reading.outcomes, offsetMs);
  const verdict = rollbackMatrix(
    { healthy: reading.healthy, ...errorRate, retried: state.failStreak > 0, checks },
    state,
    loaded.plan,
  );
  state.failStreak = reading.healthy && !checks.fail.length ? 0 : state.failStreak + 1;
  if (!reading.healthy) verdict.reasons.push(reading.detail);
  return verdict;
}

/** A full validation; a FAIL is re-run once after the plan's wait, since it may be transient. */
function unreachable(err: unknown): Pick<ValidationReport, 'status' | 'checks' | 'outcomes'> {
  const message = `validation could not run: ${failureMessage(err)}`;
  return {
    status: 'FAIL',
    checks: Object.fromEntries(
      CHECK_NAMES.map((n) => [n, { status: 'FAIL', metrics: {}, message }]),
    ) as ValidationReport['checks'],
  };
}

/** `late` says why a validation missed during an outage ran only when monitoring resumed. */
export async function checkpoint(
  loaded: LoadedPlan,
  state: MonitoringState,
  offsetMs: number,
  baseline?: BaselineValues,
  late?: string,
): Promise<Verdict> {
  const label = hourLabel(offsetMs);
  // A validation that cannot even run (worker gone past its retries, service unreachable) is a
  // FAIL row like any other: the matrix decides, the 24-hour loop goes on.
  const validate = (rerun: boolean) =>
    validationWithHostChecks(
      act('validation', `${label} production validation`),
      loaded,
      'v2',
      baseline,
      'checkpoint',
      checkpointReportName(offsetMs, rerun),
    ).catch((err: unknown) => unreachable(err));
  let report = await validate(false);
  const failedFirst = report.status === 'FAIL';
  if (failedFirst) {
    await sleep(parseDuration(loaded.plan.monitoring.retryFailAfter), {
      summary: `${label}: re-run of a failed validation`,
    });
    report = await validate(true);
  }
  const { reading, errorRate, judged, cpu } = record(await probe(loaded), state, offsetMs, loaded.plan);
  const avgLatencyMs = latencyOf(report);
  if (offsetMs >= 3_600_000 && state.hour1MemoryMb === undefined && reading.memoryMb !== null)
    state.hour1MemoryMb = reading.memoryMb;
  const checks = weighOutcomes(loaded, state, report.outcomes, offsetMs, true);
  // With data checks the outcomes decide (failureLimit can make a FAIL a WARN); the built-in checks' status otherwise.
  const validation = report.outcomes
    ? checks.fail.length || checks.rollback.length
      ? 'FAIL'
      : checks.warn.length
        ? 'WARN'
        : 'PASS'
    : report.status;
  state.lastValidation = briefOf({ status: validation, checks: report.checks }, label, 'v2', new Date());
  const verdict = rollbackMatrix(
    // With data checks, latency is the plan's rules' business (its performance check), not the built-in threshold.
    {
      healthy: reading.healthy,
      ...errorRate,
      validation: report.outcomes ? undefined : validation,
      retried: failedFirst,
      memoryMb: reading.memoryMb,
      avgLatencyMs: report.outcomes ? undefined : avgLatencyMs,
      checks,
    },
    state,
    loaded.plan,
  );
  const failing = report.outcomes
    ? []
    : Object.entries(report.checks)
        .filter(([, c]) => c.status !== 'PASS')
        .map(([name, c]) => `${name}: ${c.message}`);
  state.rows.push({
    at: new Date().toISOString(),
    offsetMs,
    label,
    latencyMs: avgLatencyMs,
    errorRatePct: judged && pct(judged.rate),
    errorRateRequests: judged?.requests,
    memoryMb: reading.memoryMb,
    cpuPct: cpu,
    status: rowStatus(validation, verdict),
    note:
      [
        late ?? '',
        failedFirst ? `re-run after a FAIL` : '',
        ...failing,
        ...verdict.reasons,
        judged?.inconclusive ? `error rate ${judged.inconclusive}` : '',
      ]
        .filter(Boolean)
        .join('; ') || undefined,
  });
  return verdict;
}

/** The row says what the checkpoint decided: one that rolls back (or escalates) is a FAIL, one that warns a WARN. */
function rowStatus(validation: CheckStatus, verdict: Verdict): CheckStatus {
  const decided: CheckStatus = verdict.action === 'ok' ? 'PASS' : verdict.action === 'warn' ? 'WARN' : 'FAIL';
  const rank = { PASS: 0, WARN: 1, FAIL: 2 } as const;
  return rank[decided] > rank[validation] ? decided : validation;
}
