/**
 * Checks as data: a plan's `checks:` list. Each check names one provider block (http,
 * prometheus, sql, command), the moments it runs, its PASS/WARN/FAIL rules (CEL), what an
 * inconclusive answer means, and the report key it feeds. Secrets are never written here: a
 * plan names the environment variable that holds them.
 */
import { z } from 'zod';
import { duration, hint } from './duration-field';

/**
 * The NAME of an environment variable: the value (a token, a password, a URL with credentials) stays in the worker's
 * env.
 */
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: hint('give the NAME of an environment variable (e.g. PROM_TOKEN), ' + 'never the secret itself'),
});
const checkName = z
  .string()
  .max(64, { error: 'keep a check name under 64 characters (it is a key of the JSON report)' })
  .regex(/^[a-z][a-z0-9_]*$/, {
    error: hint('use lower-case letters, digits and "_", e.g. "error_rate" (it ' + 'is a key of the JSON report)'),
  });
/** A rule longer than this is a program, not a rule: the provider's extract or a second check says it better. */
export const MAX_RULE_LENGTH = 4_000;
const celRule = z
  .string()
  .min(1, { error: hint('write a CEL expression, e.g. "result > 0.05"') })
  .max(MAX_RULE_LENGTH, {
    error:
      `keep a rule under ${MAX_RULE_LENGTH} characters: extract the ` +
      `value with the provider (http.extract, the query) or split it ` +
      `into several checks`,
  });

/**
 * When a check runs: Phase 2's shadow run, Phase 5, monitoring checkpoints and sentinel probes, scheduled validations.
 */
export const CHECK_MOMENTS = ['shadow', 'phase5', 'checkpoint', 'sentinel', 'schedule'] as const;
export type CheckMoment = (typeof CHECK_MOMENTS)[number];

export const httpProviderSchema = z.strictObject({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT']).default('GET'),
  /** joined to the target service's baseUrl, keeping its base path (/api + /kpis → /api/kpis) */
  path: z
    .string()
    .startsWith('/', { error: hint('start the path with "/", e.g. "/health"') })
    .default('/'),
  /** plain header values; anything secret goes in headersFromEnv */
  headers: z.record(z.string(), z.string()).default({}),
  /** header → the env var holding its value (Authorization: API_TOKEN) */
  headersFromEnv: z.record(z.string(), envName).default({}),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  /** statuses that count as an answer; another is a FAIL (default: any 2xx) */
  expectStatus: z
    .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
    .optional(),
  /** how to read the body: json (default), text, or prometheus (exposition format → {metric: sum}) */
  parse: z.enum(['json', 'text', 'prometheus']).default('json'),
  /** JMESPath into the parsed answer; its value is `result.value` */
  extract: z.string().min(1).optional(),
  /** requests to time; latency figures (avgMs, p50Ms, p95Ms, maxMs) come with more than one */
  samples: z.number().int().min(1).max(1000).default(1),
  timeout: duration('10s', { min: '100ms', max: '10m' }).default('10s'),
});

export const prometheusProviderSchema = z.strictObject({
  /** PromQL; {{ service }}, {{ version }} and {{ window }} are filled per target */
  query: z.string().min(1, {
    error: hint(
      'write a PromQL query, e.g. ' + 'sum(rate(http_requests_total{service="{{ service }}"}[{{ window }}]))',
    ),
  }),
  window: duration('5m').default('5m'),
  /** a range query over `window` at this step instead of an instant query */
  step: duration('30s').optional(),
});

export const sqlProviderSchema = z.strictObject({
  /** a key of the plan's `databases:` */
  database: z.string().min(1),
  /** run read-only, under a statement timeout; {{ service }} and {{ version }} are passed as $1/$2 when used as such */
  query: z.string().min(1),
  timeout: duration('10s', { min: '100ms', max: '10m' }).default('10s'),
});

export const commandProviderSchema = z.strictObject({
  /** program and arguments; never a shell */
  argv: z
    .array(z.string().min(1))
    .min(1, { error: hint('give the program and its arguments as a list, e.g. ["python3", "validate.py"]') }),
  cwd: z.string().optional(),
  timeout: duration('5m', { max: '1d' }).default('5m'),
  okExitCodes: z.array(z.number().int().min(0).max(255)).min(1).default([0]),
  /** a JSON file it writes (relative to cwd), read as `result.json` */
  reportFile: z.string().min(1).optional(),
  /** parse stdout as JSON into `result.json` */
  stdoutJson: z.boolean().default(false),
  /** the report is the seed's production_validation format: .status and .checks[] become the verdict */
  format: z.enum(['plain', 'seed-report']).default('plain'),
  /** names of env vars passed through to the command (everything else secret-like is scrubbed) */
  passEnv: z.array(envName).default([]),
  /**
   * the machine whose agent (scripts/worker.sh --host NAME) runs it; default: the checked service's host, else the
   * orchestrator
   */
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
      error: hint(
        "name the machine as the plan's services do (letters, digits, " + '".", "_" or "-"), e.g. "pipeline-1"',
      ),
    })
    .optional(),
});

export const compareSchema = z.strictObject({
  /**
   * v1: V1 live when it runs (shadow run), else V1's values recorded by the shadow run; baseline: the recorded values
   * only
   */
  against: z.enum(['v1', 'baseline']).default('v1'),
  /** allowed deviation relative to the reference value (0.001 = 0.1%) */
  relative: z.number().min(0).default(0),
  /** allowed absolute deviation; a field passes when it is within either tolerance */
  absolute: z.number().min(0).default(0),
  /** field paths (dot-separated, * for one segment) left out of the comparison */
  ignore: z.array(z.string().min(1)).default([]),
});

export const trendSchema = z.strictObject({
  /** CEL giving the number to follow (default: `result.value`) */
  value: celRule.optional(),
  /** the reference is the first reading at or after this offset (never later than the first checkpoint) */
  warmup: duration('1h').default('1h'),
  /** WARN when the value drifts more than this fraction from the reference */
  maxDrift: z.number().positive().optional(),
  /**
   * WARN when the value climbs faster than this many units per hour over `minPoints` readings, each higher than the
   * last
   */
  maxRisePerHour: z.number().positive().optional(),
  minPoints: z.number().int().min(2).default(3),
  /** what a trend breach is: WARN (default) or FAIL */
  severity: z.enum(['WARN', 'FAIL']).default('WARN'),
});

const providers = {
  http: httpProviderSchema.optional(),
  prometheus: prometheusProviderSchema.optional(),
  sql: sqlProviderSchema.optional(),
  command: commandProviderSchema.optional(),
};
export const PROVIDER_NAMES = ['http', 'prometheus', 'sql', 'command'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const checkSchema = z.strictObject({
  name: checkName,
  /** the report key it feeds (default: its name); several checks may feed one key, the worst status wins */
  report: checkName.optional(),
  description: z.string().optional(),
  at: z.array(z.enum(CHECK_MOMENTS)).min(1).default(['phase5', 'checkpoint', 'schedule']),
  ...providers,
  compare: compareSchema.optional(),
  /** CEL over result (and v1, v2, baseline, window); fail is tried first, then warn, then pass */
  fail: celRule.optional(),
  warn: celRule.optional(),
  pass: celRule.optional(),
  /** no data, an unreachable provider, a rule that cannot be evaluated */
  inconclusive: z.enum(['warn', 'fail', 'retry']).default('warn'),
  /** with inconclusive: retry, attempts (2 s apart) before `afterRetries` decides */
  retries: z.number().int().min(1).max(10).default(3),
  /** with inconclusive: retry, what a check still inconclusive after its retries is */
  afterRetries: z.enum(['warn', 'fail']).default('fail'),
  /** in monitoring: consecutive FAILs before the check counts as failed (Argo's failureLimit) */
  failureLimit: z.number().int().min(1).default(1),
  /**
   * a FAIL's weight in the decision matrix: retry once then the plan's onRepeatedFail (default), or roll back at once
   */
  onFail: z.enum(['retry', 'rollback']).default('retry'),
  trend: trendSchema.optional(),
});

export type CheckSpec = z.output<typeof checkSchema>;
export type CheckSpecInput = z.input<typeof checkSchema>;
export type HttpProviderSpec = z.output<typeof httpProviderSchema>;
export type PrometheusProviderSpec = z.output<typeof prometheusProviderSchema>;
export type SqlProviderSpec = z.output<typeof sqlProviderSchema>;
export type CommandProviderSpec = z.output<typeof commandProviderSchema>;
export type CompareSpec = z.output<typeof compareSchema>;
export type TrendSpec = z.output<typeof trendSchema>;

/** Where the providers that need one find their server: one Prometheus, named databases. */
export const prometheusServerSchema = z.strictObject({
  address: z.url({ error: hint('use the full URL of the Prometheus server, e.g. http://127.0.0.1:9090') }),
  bearerTokenEnv: envName.optional(),
  usernameEnv: envName.optional(),
  passwordEnv: envName.optional(),
  timeout: duration('10s', { min: '100ms', max: '10m' }).default('10s'),
});
export const databaseSchema = z.strictObject({
  /** env var holding the connection string (postgres://user:pass@host/db) */
  urlEnv: envName,
});

/** The provider block a check uses (the plan check makes sure there is exactly one). */
export function providerOf(check: CheckSpec): ProviderName | undefined {
  return PROVIDER_NAMES.find((p) => check[p] !== undefined);
}
