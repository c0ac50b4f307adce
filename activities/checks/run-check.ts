/**
 * Runs one data check against one target: the provider fetches, compare mode measures every
 * numeric field against V1 (live or recorded), the CEL rules decide, an inconclusive answer
 * becomes what the plan says. Never throws for the service's sake: a FAIL says why.
 */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import { providerOf, type CheckMoment, type CheckSpec, type ProviderName } from '../../domain/check-schema';
import type { CheckOutcome } from '../../domain/check-outcome';
import type { CheckStatus } from '../../domain/validation-report';
import {
  compareValues,
  describeValueComparison,
  flattenNumbers,
  type FlatValues,
  type ValueComparison,
} from '../../domain/value-compare';
import { valuesOf, type BaselineValues } from '../../domain/baseline';
import { shrinkResult } from '../../domain/bounded-result';
import { cancellationSignal } from '../../infra/activity-context';
import { heartbeat } from '../heartbeat';
import { evaluate, evaluateBool, toCel } from './cel';
import { CheckConfigError, type Provider, type ProviderAnswer, type ProviderContext } from './providers/provider';

export type ProviderRegistry = Partial<Record<ProviderName, Provider<never>>>;

export interface CheckRunContext {
  moment: CheckMoment;
  /** V1's values recorded earlier (domain/baseline.ts) */
  baseline?: BaselineValues;
  /** ask V1 live for compare checks (it is running: the shadow run) */
  v1Live?: boolean;
  providers: ProviderRegistry;
  env?: NodeJS.ProcessEnv;
  /** how long an inconclusive: retry waits between attempts */
  retryDelayMs?: number;
}

/** What the check's provider answers for `role`, before any rule or compare. */
export async function fetchAnswer(
  loaded: LoadedPlan,
  check: CheckSpec,
  role: ServiceRole,
  run: Pick<CheckRunContext, 'providers' | 'env'>,
): Promise<ProviderAnswer> {
  const provider = providerOf(check)!;
  const impl = run.providers[provider] as Provider<unknown> | undefined;
  if (!impl) throw new CheckConfigError(`provider "${provider}" is not available on this worker`);
  const service = loaded.plan.services[role];
  const window = check.prometheus?.window ?? '5m';
  const ctx: ProviderContext = {
    loaded,
    target: { role, service },
    vars: { service: service.name, version: role, window, baseUrl: service.baseUrl },
    env: run.env ?? process.env,
    signal: cancellationSignal(),
  };
  return impl(check[provider], ctx);
}

interface RuleStatus {
  status: CheckStatus;
  rule?: string;
  message?: string;
  inconclusive?: string;
}

/**
 * A check's status from its CEL rules, tried fail, warn, pass in that order; a rule that cannot be
 * evaluated is inconclusive.
 */
function statusByRules(
  check: CheckSpec,
  vars: Record<string, unknown>,
  defaults: { fail?: string; failWhy?: string; warn?: string },
): RuleStatus {
  const tried: Array<['fail' | 'warn' | 'pass', string | undefined]> = [
    ['fail', check.fail ?? defaults.fail],
    ['warn', check.warn ?? defaults.warn],
    ['pass', check.pass],
  ];
  for (const [kind, rule] of tried) {
    if (!rule) continue;
    const answer = evaluateBool(rule, vars);
    if (!answer.ok)
      return { status: 'WARN', inconclusive: `rule ${kind}: ${rule} cannot be evaluated: ${answer.error}` };
    if (kind === 'pass')
      return answer.value
        ? { status: 'PASS', rule: `pass: ${rule}` }
        : { status: 'FAIL', rule: `pass: ${rule}`, message: `not true: ${rule}` };
    if (answer.value)
      return {
        status: kind === 'fail' ? 'FAIL' : 'WARN',
        rule: `${kind}: ${rule}`,
        message: kind === 'fail' && !check.fail ? defaults.failWhy : undefined,
      };
  }
  return { status: 'PASS' };
}

function headline(result: Record<string, unknown>): string {
  const v = result.value;
  if (typeof v === 'number') return `value ${Number.isInteger(v) ? v : v.toPrecision(4)}`;
  const bits: string[] = [];
  if (typeof result.status === 'number') bits.push(`HTTP ${result.status}`);
  if (typeof result.avgMs === 'number') bits.push(`avg ${(result.avgMs as number).toFixed(1)} ms`);
  if (typeof result.exitCode === 'number') bits.push(`exit ${result.exitCode}`);
  if (typeof v === 'string') bits.push(JSON.stringify(v.slice(0, 60)));
  return bits.join(', ') || 'answered';
}

/**
 * One check, one target; `inconclusive: retry` tries again after a pause, up to `retries`. The
 * sentinel asks once: its next probe is the retry, and retries inside a probe (10 × 2 s in the
 * demo plan while traffic is low) would stretch every probe to ~20 s and starve the monitoring's
 * own error rate of the synthetic requests it counts.
 */
export async function runCheck(
  loaded: LoadedPlan,
  check: CheckSpec,
  role: ServiceRole,
  run: CheckRunContext,
): Promise<CheckOutcome> {
  if (check.inconclusive === 'retry' && run.moment === 'sentinel') {
    const outcome = await runOnce(loaded, check, role, run);
    if (outcome.inconclusive && !outcome.rule) {
      outcome.status = 'WARN';
      outcome.message = `inconclusive (asked again at the next probe): ${outcome.inconclusive}`;
    }
    return outcome;
  }
  const attempts = check.inconclusive === 'retry' ? check.retries : 1;
  let outcome: CheckOutcome | undefined;
  for (let i = 1; i <= attempts; i++) {
    outcome = await runOnce(loaded, check, role, run);
    if (!outcome.inconclusive || i === attempts) break;
    heartbeat({ check: check.name, attempt: i, inconclusive: outcome.inconclusive });
    await new Promise((r) => setTimeout(r, run.retryDelayMs ?? 2_000));
  }
  if (outcome!.inconclusive && check.inconclusive === 'retry' && !outcome!.rule) {
    outcome!.status = check.afterRetries === 'warn' ? 'WARN' : 'FAIL';
    outcome!.message = `still inconclusive after ${attempts} attempts: ${outcome!.inconclusive}`;
  }
  return outcome!;
}

async function runOnce(
  loaded: LoadedPlan,
  check: CheckSpec,
  role: ServiceRole,
  run: CheckRunContext,
): Promise<CheckOutcome> {
  const started = performance.now();
  const base = {
    name: check.name,
    report: check.report ?? check.name,
    provider: providerOf(check)!,
    target: role,
    moment: run.moment,
    onFail: check.onFail,
  };
  const done = (
    d: RuleStatus & { message: string },
    metrics: Record<string, unknown>,
    trendValue?: number,
  ): CheckOutcome => ({
    ...base,
    status: d.inconclusive && !d.rule ? inconclusiveStatus(check) : d.status,
    inconclusive: d.inconclusive,
    rule: d.rule,
    message: d.message,
    metrics,
    trendValue,
    durationMs: Math.round(performance.now() - started),
  });
  heartbeat({ check: check.name, target: role });
  try {
    const answer = await fetchAnswer(loaded, check, role, run);
    if (!answer.ok)
      return done(
        { status: 'WARN', inconclusive: answer.inconclusive, message: `inconclusive: ${answer.inconclusive}` },
        {},
      );
    const result: Record<string, unknown> = { ...(answer.fields ?? {}), value: answer.value };
    const metrics: Record<string, unknown> = { result: shrinkResult(result) };
    const vars: Record<string, unknown> = { result: toCel(result), window: check.prometheus?.window ?? null };
    let defaults: { fail?: string; failWhy?: string; warn?: string } = {};
    if (check.command?.format === 'seed-report' && !check.fail && !check.warn && !check.pass) {
      // The seed's report decides by its own .status, as the runbook's jq reads it.
      defaults = { fail: 'result.reportStatus == "FAIL"', failWhy: `the script's report says FAIL: ${answer.summary}` };
      defaults.warn = 'result.reportStatus == "WARN"';
    }
    if (result.statusOk === false || result.exitOk === false) {
      const why =
        result.statusOk === false
          ? `answered HTTP ${String(result.status)}, not an expected status`
          : `exited ${String(result.exitCode)}, not an accepted exit code`;
      // A seed report decides by its status even when the script exits 1 on FAIL (its contract);
      // otherwise a wrong status or exit code FAILs first, unless the plan's rules speak of it.
      const rulesSpeakOfIt = [check.fail, check.warn, check.pass].some(
        (r) => r && /result\.(status|statusOk|exitCode|exitOk)\b/.test(r),
      );
      if (!(check.command?.format === 'seed-report' && result.reportStatus !== undefined) && !rulesSpeakOfIt) {
        return done(
          {
            status: 'FAIL',
            rule: result.statusOk === false ? 'expectStatus' : 'okExitCodes',
            message: why + (answer.summary ? ` (${answer.summary})` : ''),
          },
          metrics,
        );
      }
    }
    let comparison: ValueComparison | undefined;
    if (check.compare) {
      const reference = await referenceValues(loaded, check, run);
      if (!reference.values)
        return done(
          { status: 'WARN', inconclusive: reference.why, message: `inconclusive: ${reference.why}` },
          metrics,
        );
      comparison = compareValues(reference.values, flattenNumbers(answer.value), check.compare);
      // V1's live values are kept (shadow run): Phase 5 and the checkpoints compare with them once V1 is stopped.
      metrics.comparison = {
        against: reference.source,
        ...comparison,
        ...(reference.source === 'v1 live' ? { referenceValues: reference.values } : {}),
      };
      Object.assign(vars, {
        comparison: toCel(comparison),
        [reference.source === 'v1 live' ? 'v1' : 'baseline']: toCel(reference.raw),
      });
      if (!check.fail) defaults = { fail: 'comparison.ok == false', failWhy: describeValueComparison(comparison) };
    }
    const decided = statusByRules(check, vars, defaults);
    const trendValue = check.trend ? numberOf(evaluate(check.trend.value ?? 'result.value', vars)) : undefined;
    const detail = comparison ? describeValueComparison(comparison) : answer.summary || headline(result);
    const message = decided.inconclusive
      ? `inconclusive: ${decided.inconclusive}`
      : (decided.message ?? (decided.rule && decided.status !== 'PASS' ? `${decided.rule} (${detail})` : detail));
    return done({ ...decided, message }, metrics, trendValue);
  } catch (err) {
    // A config mistake (missing env var, bad expression the server refused) is a FAIL with its fix; no retry helps.
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof CheckConfigError) return done({ status: 'FAIL', message }, {});
    return done({ status: 'WARN', inconclusive: message, message: `inconclusive: ${message}` }, {});
  }
}

function inconclusiveStatus(check: CheckSpec): CheckStatus {
  return check.inconclusive === 'fail' ? 'FAIL' : 'WARN';
}

function numberOf(answer: ReturnType<typeof evaluate>): number | undefined {
  return answer.ok && typeof answer.value === 'number' && Number.isFinite(answer.value) ? answer.value : undefined;
}

async function referenceValues(
  loaded: LoadedPlan,
  check: CheckSpec,
  run: CheckRunContext,
): Promise<{ values?: FlatValues; raw?: unknown; source: string; why?: string }> {
  if (check.compare!.against === 'v1' && run.v1Live) {
    const answer = await fetchAnswer(loaded, check, 'v1', run);
    if (!answer.ok) return { source: 'v1 live', why: `V1 could not be read: ${answer.inconclusive}` };
    return { values: flattenNumbers(answer.value), raw: answer.value, source: 'v1 live' };
  }
  const recorded = valuesOf(check.name, run.baseline);
  if (!recorded) {
    const why =
      `no baseline: nothing recorded from V1 for ${check.name} (a ` +
      `cutover's shadow run records one; or cutover baseline capture, ` +
      `or validation.baselineFile)`;
    return { source: 'baseline', why };
  }
  return { values: recorded, raw: recorded, source: 'baseline' };
}
