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
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT']).default('GET').describe('the request method'),
  path: z
    .string()
    .startsWith('/', { error: hint('start the path with "/", e.g. "/health"') })
    .default('/')
    .describe("joined to the target service's baseUrl, keeping its base path (/api + /kpis → /api/kpis)"),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe('plain header values; anything secret goes in headersFromEnv'),
  headersFromEnv: z
    .record(z.string(), envName)
    .default({})
    .describe('header → the env var holding its value (Authorization: API_TOKEN); sent, never logged'),
  body: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .optional()
    .describe('the request body; an object or a list is sent as JSON'),
  expectStatus: z
    .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)])
    .optional()
    .describe('statuses that count as an answer; another is a FAIL (default: any 2xx)'),
  parse: z
    .enum(['json', 'text', 'prometheus'])
    .default('json')
    .describe('how to read the body: json (default), text, or prometheus (exposition format → {metric: sum})'),
  extract: z.string().min(1).optional().describe('JMESPath into the parsed answer; its value is `result.value`'),
  samples: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(1)
    .describe('requests to time; latency figures (avgMs, p50Ms, p95Ms, maxMs) come with more than one'),
  timeout: duration('10s', { min: '100ms', max: '10m' }).default('10s').describe('per request'),
});

export const prometheusProviderSchema = z.strictObject({
  query: z
    .string()
    .min(1, {
      error: hint(
        'write a PromQL query, e.g. ' + 'sum(rate(http_requests_total{service="{{ service }}"}[{{ window }}]))',
      ),
    })
    .describe('PromQL; {{ service }}, {{ version }} and {{ window }} are filled per target'),
  window: duration('5m').default('5m').describe('the value of {{ window }}, and the span of a range query'),
  step: duration('30s').optional().describe('a range query over `window` at this step instead of an instant query'),
});

export const sqlProviderSchema = z.strictObject({
  database: z.string().min(1).describe("a key of the plan's `databases:`"),
  query: z
    .string()
    .min(1)
    .describe(
      'one statement, run read-only under a statement timeout; each {{ x }} is passed as a bind parameter ($1, $2 …)',
    ),
  timeout: duration('10s', { min: '100ms', max: '10m' }).default('10s').describe('the statement timeout'),
});

export const commandProviderSchema = z.strictObject({
  argv: z
    .array(z.string().min(1))
    .min(1, { error: hint('give the program and its arguments as a list, e.g. ["python3", "validate.py"]') })
    .describe('program and arguments, never a shell; {{ service }}, {{ version }}, {{ baseUrl }} are filled'),
  cwd: z.string().optional().describe("where it runs, relative to the plan's workdir"),
  timeout: duration('5m', { max: '1d' })
    .default('5m')
    .describe('past it the command is killed with its process group: inconclusive'),
  okExitCodes: z
    .array(z.number().int().min(0).max(255))
    .min(1)
    .default([0])
    .describe('exit codes that count as `exitOk`'),
  reportFile: z
    .string()
    .min(1)
    .optional()
    .describe('a JSON file it writes (relative to cwd; this run must rewrite it), read as `result.value`'),
  stdoutJson: z.boolean().default(false).describe('parse stdout as JSON into `result.value`'),
  format: z
    .enum(['plain', 'seed-report'])
    .default('plain')
    .describe(
      "seed-report: the JSON is the seed's production_validation format: .status and .checks[] become the verdict",
    ),
  passEnv: z
    .array(envName)
    .default([])
    .describe('names of env vars passed through to the command (everything else secret-like is scrubbed)'),
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
      error: hint(
        "name the machine as the plan's services do (letters, digits, " + '".", "_" or "-"), e.g. "pipeline-1"',
      ),
    })
    .optional()
    .describe(
      "the machine whose agent (cutover worker --host NAME) runs it; default: the checked service's host, else " +
        'the orchestrator',
    ),
});

export const compareSchema = z.strictObject({
  against: z
    .enum(['v1', 'baseline'])
    .default('v1')
    .describe(
      "v1: V1 live when it runs (shadow run, canary), else V1's values recorded by the shadow run; baseline: the " +
        'recorded values only',
    ),
  relative: z.number().min(0).default(0).describe('allowed deviation relative to the reference value (0.001 = 0.1%)'),
  absolute: z
    .number()
    .min(0)
    .default(0)
    .describe('allowed absolute deviation; a field passes when it is within either tolerance'),
  ignore: z
    .array(z.string().min(1))
    .default([])
    .describe('field paths (dot-separated, * for one segment) left out of the comparison'),
});

export const trendSchema = z.strictObject({
  value: celRule.optional().describe('CEL giving the number to follow (default: `result.value`)'),
  warmup: duration('1h')
    .default('1h')
    .describe(
      'readings before this offset are ignored; the reference is the median of the first minPoints after it (a ' +
        'plan shorter than the warm-up waits for its first checkpoint and a quarter of its length)',
    ),
  maxDrift: z
    .number()
    .positive()
    .optional()
    .describe(
      'WARN when the median of the latest minPoints readings is further than this fraction from the reference ' +
        "(and 3 × the readings' noise)",
    ),
  maxRisePerHour: z
    .number()
    .positive()
    .optional()
    .describe(
      'WARN when the value climbs faster than this many units per hour (Theil–Sen slope, its 95% lower bound), ' +
        "a rise beyond 3 × the readings' noise",
    ),
  minRise: z
    .number()
    .positive()
    .optional()
    .describe(
      "the smallest climb that counts, in the value's units (default: 10% of the readings' median, more than a " +
        "healthy garbage collector's swing between collections)",
    ),
  minPoints: z.number().int().min(2).default(3).describe('readings after the warm-up each rule needs'),
  severity: z.enum(['WARN', 'FAIL']).default('WARN').describe('what a trend breach is: WARN (default) or FAIL'),
});

const providers = {
  http: httpProviderSchema.optional().describe('an HTTP request to the target service'),
  prometheus: prometheusProviderSchema.optional().describe("a PromQL query to the plan's Prometheus"),
  sql: sqlProviderSchema.optional().describe('a read-only PostgreSQL query'),
  command: commandProviderSchema.optional().describe('a program of yours, no shell'),
};
export const PROVIDER_NAMES = ['http', 'prometheus', 'sql', 'command'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const checkSchema = z.strictObject({
  name: checkName.describe('its name (`cutover check PLAN NAME`), and its report key unless `report` says another'),
  report: checkName
    .optional()
    .describe('the report key it feeds (default: its name); several checks may feed one key, the worst status wins'),
  description: z.string().optional().describe('what it verifies, for people'),
  at: z
    .array(z.enum(CHECK_MOMENTS))
    .min(1)
    .default(['phase5', 'checkpoint', 'schedule'])
    .describe('the moments it runs: shadow, phase5, checkpoint, sentinel, schedule'),
  ...providers,
  compare: compareSchema
    .optional()
    .describe("compare every number of V2's answer with V1's (or the recorded baseline's)"),
  fail: celRule
    .optional()
    .describe('CEL over result (and comparison, v1 or baseline, window); fail is tried first, then warn, then pass'),
  warn: celRule.optional().describe('CEL: true → WARN (tried after fail)'),
  pass: celRule.optional().describe('CEL: true → PASS, false → FAIL (tried last)'),
  inconclusive: z
    .enum(['warn', 'fail', 'retry'])
    .default('warn')
    .describe('what no data, an unreachable provider, or a rule that cannot be evaluated counts as'),
  retries: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('with inconclusive: retry, attempts (2 s apart) before `afterRetries` decides'),
  afterRetries: z
    .enum(['warn', 'fail'])
    .default('fail')
    .describe('with inconclusive: retry, what a check still inconclusive after its retries is'),
  failureLimit: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe("in monitoring: consecutive FAILs before the check counts as failed (Argo's failureLimit)"),
  onFail: z
    .enum(['retry', 'rollback'])
    .default('retry')
    .describe(
      "a FAIL's weight in the decision matrix: retry once then the plan's onRepeatedFail (default), or roll back " +
        'at once',
    ),
  trend: trendSchema.optional().describe('follow the value over the monitoring: drift and steady climbs'),
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
  address: z
    .url({ error: hint('use the full URL of the Prometheus server, e.g. http://127.0.0.1:9090') })
    .describe("the server's base URL"),
  bearerTokenEnv: envName.optional().describe('env var holding a bearer token'),
  usernameEnv: envName.optional().describe('env var holding the basic-auth user name'),
  passwordEnv: envName.optional().describe('env var holding the basic-auth password'),
  timeout: duration('10s', { min: '100ms', max: '10m' }).default('10s').describe('per query'),
});
export const databaseSchema = z.strictObject({
  urlEnv: envName.describe('env var holding the connection string (postgres://user:pass@host/db)'),
});

/** The provider block a check uses (the plan check makes sure there is exactly one). */
export function providerOf(check: CheckSpec): ProviderName | undefined {
  return PROVIDER_NAMES.find((p) => check[p] !== undefined);
}
