/**
 * error_handling, two halves. (1) Bad input is the client's fault: each malformed request must
 * get a 4xx with a JSON `{error}` body, never a 5xx (a 5xx there means an unhandled path that
 * real clients will hit too). (2) The service's own error rate from /metrics (5xx ÷ requests,
 * since the process started): over thresholds.errorRateWarn WARNs, over errorRateRollback FAILs.
 */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/plan-schema';
import { errorText, guarded, request, serviceUrl, type Check } from './check-util';
import { readServiceMetrics } from './service-metrics';
import { parseSelector } from '../../domain/metric-selector';

interface Probe {
  what: string;
  method: string;
  path: string;
  body?: string;
}

/** Harmless by construction: none can change state, even on a service that mishandles them. */
export const MALFORMED_REQUESTS: Probe[] = [
  { what: 'unknown route', method: 'GET', path: '/cutover-validation-no-such-route' },
  { what: 'bad query parameter', method: 'GET', path: '/kpis?by=nope' },
  { what: 'wrong method', method: 'POST', path: '/kpis' },
  // The one endpoint of the contract that takes JSON; a service without it answers 404, also fine.
  { what: 'bad JSON', method: 'POST', path: '/admin/faults', body: '{"not json' },
];

interface ProbeOutcome {
  what: string;
  request: string;
  status: number | null;
  ok: boolean;
  problem?: string;
}

async function probe(loaded: LoadedPlan, role: ServiceRole, p: Probe): Promise<ProbeOutcome> {
  const label = `${p.method} ${p.path}`;
  try {
    const headers = p.body === undefined ? undefined : { 'content-type': 'application/json' };
    const answer = await request(serviceUrl(loaded, role, p.path), { method: p.method, body: p.body, headers });
    const hasError = typeof answer.json === 'object' && answer.json !== null && 'error' in answer.json;
    let problem: string | undefined;
    if (answer.status < 400 || answer.status > 499) problem = `answered ${answer.status}, expected 4xx`;
    else if (!hasError) problem = `answered ${answer.status} without a JSON {error} body`;
    return { what: p.what, request: label, status: answer.status, ok: !problem, problem };
  } catch (err) {
    return { what: p.what, request: label, status: null, ok: false, problem: `no answer: ${errorText(err)}` };
  }
}

const pct = (rate: number) => `${(rate * 100).toFixed(3)}%`;

export const checkErrorHandling: Check = guarded(async (loaded, role) => {
  const { errorRateWarn, errorRateRollback } = loaded.plan.thresholds;
  const outcomes: ProbeOutcome[] = [];
  for (const p of MALFORMED_REQUESTS) outcomes.push(await probe(loaded, role, p));
  // Read after the probes: their 4xx count as requests, and a 5xx among them counts as an error.
  const reading = await readServiceMetrics(loaded, role);
  const errorRate = reading.requests > 0 ? reading.errors / reading.requests : 0;
  const metrics = {
    malformedRequests: outcomes,
    requests: reading.requests,
    errors: reading.errors,
    errorRate,
    thresholds: { warn: errorRateWarn, fail: errorRateRollback },
    missingMetrics: reading.missing,
  };

  const fails = outcomes.filter((o) => !o.ok).map((o) => `${o.what} (${o.request}) ${o.problem}`);
  const rateText = `error rate ${pct(errorRate)} (${reading.errors} of ${reading.requests} requests)`;
  if (errorRate > errorRateRollback) fails.push(`${rateText} over the ${pct(errorRateRollback)} rollback threshold`);
  if (fails.length) return { status: 'FAIL', metrics, message: fails.join('; ') };

  const warns: string[] = [];
  if (errorRate > errorRateWarn) warns.push(`${rateText} over the ${pct(errorRateWarn)} target`);
  const { requestsMetric, errorsMetric } = loaded.plan.validation;
  const unread = reading.missing.filter((m) => m === parseSelector(requestsMetric).name || m === parseSelector(errorsMetric).name);
  if (unread.length) warns.push(`error rate unknown: /metrics has no ${unread.join(', ')}`);
  if (warns.length) return { status: 'WARN', metrics, message: warns.join('; ') };
  return { status: 'PASS', metrics, message: `${outcomes.length} malformed requests answered 4xx JSON; ${rateText}` };
});
