/**
 * The default check list: the seed's five production checks of the demo's HTTP contract
 * (/kpis, /integrity, /metrics, /audit), written as data for the one check engine. A plan
 * without `checks:` runs exactly this list; `checks: default` says so explicitly, and a list
 * with the item `default` in it adds its own checks to it (a check named like a default one
 * replaces it in place). Thresholds come from the plan's `thresholds` and `validation`, so
 * `cutover plan show` prints the list a plan really runs, ready to be copied into the plan.
 */
import { checkSchema, type CheckSpec, type CheckSpecInput } from './check-schema';

export const DEFAULT_CHECKS = 'default';
/** Where the sentinel's synthetic requests go for the default list: the contract's data route. */
export const DEFAULT_SENTINEL_PATH = '/kpis';

export interface DefaultCheckSettings {
  thresholds: {
    kpiTolerance: number;
    errorRateWarn: number;
    errorRateRollback: number;
    latencyWarnMs: number;
    latencySamples: number;
  };
  validation: { latencyFailMs: number; requestsMetric: string; errorsMetric: string };
}

/** A number as a CEL double literal: `100` would be an int, and JSON cannot say which a figure is. */
const double = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));

const EVERY_VALIDATION = ['phase5', 'checkpoint', 'schedule'] as const;
/** A malformed request is the client's fault: a 4xx with a JSON `{error}`, never a 5xx. */
const CLIENT_ERROR =
  'result.status >= 400 && result.status <= 499 && ' + 'type(result.value) == map && has(result.value.error)';

/**
 * The five keys' checks, in the order they run and are reported (the latency check must not time the others' traffic).
 */
export function defaultChecks(plan: DefaultCheckSettings): CheckSpecInput[] {
  const { thresholds: t, validation: v } = plan;
  const malformed = (name: string, description: string, http: CheckSpecInput['http']): CheckSpecInput => ({
    name,
    report: 'error_handling',
    description,
    at: [...EVERY_VALIDATION],
    http,
    pass: CLIENT_ERROR,
    inconclusive: 'fail',
  });
  // JSON strings are JMESPath quoted identifiers: a selector's own quotes stay inside the key.
  const counters =
    `{requests: ${JSON.stringify(v.requestsMetric)}, errors: ` + `not_null(${JSON.stringify(v.errorsMetric)}, \`0\`)}`;
  const rate = 'double(result.value.errors) / double(result.value.requests)';
  return [
    {
      name: 'kpi_calculations',
      description:
        "every numeric KPI of /kpis against V1's (live in the shadow " +
        'run, recorded after it) within thresholds.kpiTolerance',
      at: ['shadow', ...EVERY_VALIDATION],
      http: { path: '/kpis', extract: 'kpis' },
      compare: { against: 'v1', relative: t.kpiTolerance },
    },
    {
      name: 'data_integrity',
      description:
        'the rows the service loaded against its manifest: count, ' +
        'checksum, no duplicate or missing keys, no null fields',
      at: [...EVERY_VALIDATION],
      http: { path: '/integrity' },
      fail:
        'result.value.rows != result.value.expectedRows || ' +
        'result.value.checksumMatches != true || ' +
        'result.value.duplicateKeys > 0 || ' +
        'result.value.missingKeys > 0 || result.value.nullFields > 0 || result.value.ok == false',
      inconclusive: 'fail',
    },
    {
      name: 'performance',
      description:
        'thresholds.latencySamples sequential GET /kpis, timed: the ' +
        'average against validation.latencyFailMs and thresholds.latencyWarnMs',
      at: [...EVERY_VALIDATION],
      http: { path: '/kpis', samples: t.latencySamples },
      fail: `result.avgMs > ${double(v.latencyFailMs)}`,
      warn: `result.avgMs > ${double(t.latencyWarnMs)} || result.failed > 0`,
      inconclusive: 'fail',
    },
    malformed('unknown_route', 'an unknown route answers 4xx JSON', { path: '/cutover-validation-no-such-route' }),
    malformed('bad_query', 'a bad query parameter answers 4xx JSON', { path: '/kpis?by=nope' }),
    malformed('wrong_method', 'a wrong method answers 4xx JSON', { method: 'POST', path: '/kpis' }),
    // the contract's one endpoint that takes JSON; a service without it answers 404, also fine
    malformed('bad_json', 'bad JSON answers 4xx JSON', {
      method: 'POST',
      path: '/admin/faults',
      headers: { 'content-type': 'application/json' },
      body: '{"not json',
    }),
    {
      name: 'error_rate',
      report: 'error_handling',
      description:
        'server errors over requests since the service started, from ' +
        'its /metrics (read after the malformed requests)',
      at: [...EVERY_VALIDATION],
      http: { path: '/metrics', parse: 'prometheus', extract: counters },
      fail: `result.value.requests != null && result.value.requests > 0 && ${rate} > ${double(t.errorRateRollback)}`,
      warn: `result.value.requests == null || (result.value.requests > 0 && ${rate} > ${double(t.errorRateWarn)})`,
      inconclusive: 'fail',
    },
    {
      name: 'audit_trail',
      description:
        'audit events are written (lastSeq > 0 after the audited ' +
        'requests above) and their sequence numbers have no gap',
      at: [...EVERY_VALIDATION],
      http: {
        path: '/audit?after=0&limit=10000',
        extract: '{lastSeq: lastSeq, events: length(events), first: ' + 'events[0].seq, last: events[-1].seq}',
      },
      fail:
        'result.value.lastSeq == 0 || (result.value.events > 0 && ' +
        'result.value.last - result.value.first + 1 != result.value.events)',
      inconclusive: 'fail',
    },
  ];
}

export type ChecksInput = typeof DEFAULT_CHECKS | Array<typeof DEFAULT_CHECKS | CheckSpec>;

/**
 * The list a plan runs: absent or `default` → the default list; `default` as an item → the
 * default list there, each default check replaced by the plan's check of the same name.
 */
export function expandChecks(
  checks: ChecksInput | undefined,
  plan: DefaultCheckSettings,
): { checks: CheckSpec[]; usesDefault: boolean } {
  const given: Array<typeof DEFAULT_CHECKS | CheckSpec> =
    checks === undefined || checks === DEFAULT_CHECKS ? [DEFAULT_CHECKS] : checks;
  const own = given.filter((c): c is CheckSpec => c !== DEFAULT_CHECKS);
  if (own.length === given.length) return { checks: own, usesDefault: false };
  const builtIn = defaultChecks(plan).map((c) => own.find((o) => o.name === c.name) ?? checkSchema.parse(c));
  const expanded = given.flatMap((c) => (c === DEFAULT_CHECKS ? builtIn : builtIn.includes(c) ? [] : [c]));
  return { checks: expanded, usesDefault: true };
}
