/** Reads KPIs over the service's HTTP contract and compares V2 to V1 (the shadow run). */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/plan-schema';
import { compareKpis, describeComparison, type KpiComparison, type Kpis } from '../domain/kpi-compare';
import { httpRequest, joinUrl } from '../infra/http-client';
import { FailureType } from './failure-types';
import { compareChecksWithBaseline, shadowChecks, type DataShadowResult } from './checks/shadow-checks';
import type { CheckOutcome } from '../domain/check-outcome';

/** GET through the one HTTP client: 2xx with a JSON body, else a throw saying what came back. */
export async function fetchJson(url: string, timeoutMs = 10_000): Promise<unknown> {
  const answer = await httpRequest(url, { timeoutMs });
  if (answer.status < 200 || answer.status > 299) throw new Error(`GET ${url} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  if (answer.json === undefined) throw new Error(`GET ${url} did not answer JSON: ${answer.text.slice(0, 200)}`);
  return answer.json;
}

export async function fetchKpis(loaded: LoadedPlan, role: ServiceRole): Promise<Kpis> {
  // joinUrl keeps a base path (http://h/api + /kpis → http://h/api/kpis); new URL() dropped it.
  const body = (await fetchJson(joinUrl(loaded.plan.services[role].baseUrl, '/kpis'))) as { kpis?: unknown };
  if (!body.kpis || typeof body.kpis !== 'object') {
    throw ApplicationFailure.nonRetryable(`${role} /kpis has no "kpis" object: is this the right service?`, FailureType.InvalidServiceConfig);
  }
  return Object.fromEntries(Object.entries(body.kpis).filter(([, v]) => typeof v === 'number')) as Kpis;
}

export interface ShadowResult {
  baseline: Kpis;
  /** the built-in KPI comparison; plans with `checks:` give each shadow check's outcome instead */
  comparison?: KpiComparison;
  outcomes?: DataShadowResult['outcomes'];
  summary: string;
}

/** V1 serves production; V2 computes on the same data; both are asked and compared. `hosted`: command checks already run on their hosts. */
export async function shadowCompare(loaded: LoadedPlan, hosted?: CheckOutcome[]): Promise<ShadowResult> {
  if (loaded.plan.checks) return shadowChecks(loaded, hosted);
  const [baseline, candidate] = await Promise.all([fetchKpis(loaded, 'v1'), fetchKpis(loaded, 'v2')]);
  const comparison = compareKpis(baseline, candidate, loaded.plan.thresholds.kpiTolerance);
  const summary = describeComparison(comparison);
  if (!comparison.ok) throw ApplicationFailure.nonRetryable(`V2 shadow run differs from V1: ${summary}`, FailureType.KpiMismatch, comparison);
  return { baseline, comparison, summary };
}

/** After a switch or a rollback: does the service now serving match what V1 computed before? */
export async function compareWithBaseline(loaded: LoadedPlan, role: ServiceRole, baseline: Kpis): Promise<{ comparison?: KpiComparison; summary: string }> {
  if (loaded.plan.checks) return compareChecksWithBaseline(loaded, role, baseline);
  const comparison = compareKpis(baseline, await fetchKpis(loaded, role), loaded.plan.thresholds.kpiTolerance);
  const summary = describeComparison(comparison);
  if (!comparison.ok) throw ApplicationFailure.nonRetryable(`${role} KPIs differ from the pre-cutover baseline: ${summary}`, FailureType.KpiMismatch, comparison);
  return { comparison, summary };
}
