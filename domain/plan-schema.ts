/**
 * The cutover plan: everything a cutover needs to know, validated before anything runs.
 * Strict objects everywhere so a misspelt key is an error, not a silently ignored default.
 */
import { z } from 'zod';
import { duration, hint } from './duration-field';
import { checkSchema, databaseSchema, prometheusServerSchema, type CheckSpec } from './check-schema';
import { DEFAULT_CHECKS } from './default-checks';
import { strategyFields, trafficSchema } from './traffic-schema';
import { METRIC_SELECTOR_PATTERN } from './metric-selector';
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use letters, digits, ".", "_" or "-" (no spaces)') });
const url = z.url({ error: hint('use a full URL, e.g. http://127.0.0.1:8101') });
const fraction = z
  .number()
  .min(0, { error: hint('use a fraction from 0 to 1 (0.05 = 5%)') })
  .max(1, { error: hint('use a fraction from 0 to 1 (0.05 = 5%)') });
const command = z
  .array(z.string().min(1))
  .min(1, { error: hint('give the program and its arguments as a list, e.g. ["npm", "test"]') });

/**
 * What every service has, whatever runs it; each driver's object holds these too, so an unknown key is refused there.
 */
const serviceFields = {
  name: name,
  /** base URL of the HTTP contract: /health, /kpis, /metrics, /audit, /integrity */
  baseUrl: url,
  healthPath: z.string().startsWith('/').default('/health'),
  startTimeout: duration('60s', { max: '1h' }).default('60s'),
  /** SIGTERM grace before a force stop */
  stopGrace: duration('30s', { max: '1h' }).default('30s'),
  /** a file that must exist before Phase 0 passes (the V2 artifact) */
  artifact: z.string().optional(),
  /**
   * the machine it runs on: its start/stop go to the host agent `cutover worker --host NAME`; default: the
   * orchestrator's own
   */
  host: name.optional(),
};

const processDriver = z.strictObject({
  driver: z.literal('process'),
  command,
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).default({}),
  /** pid and log files go here, one pair per service name */
  runDir: z.string().default('.data/run'),
  ...serviceFields,
});
const systemdDriver = z.strictObject({
  driver: z.literal('systemd'),
  unit: z
    .string()
    .regex(/^[A-Za-z0-9:_.@-]+\.service$/, { error: hint('use a unit name like "abaco-pipeline-v2.service"') }),
  ...serviceFields,
});
const dockerDriver = z.strictObject({
  driver: z.literal('docker'),
  container: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use a container name like "pipeline-v2"') }),
  ...serviceFields,
});
const execDriver = z.strictObject({
  driver: z.literal('exec'),
  start: command,
  stop: command,
  forceStop: command.optional(),
  status: command,
  ...serviceFields,
});

export const serviceSchema = z.discriminatedUnion('driver', [processDriver, systemdDriver, dockerDriver, execDriver], {
  error: (issue) =>
    issue.input === undefined
      ? "required: add the service (name, driver, baseUrl and the driver's fields)"
      : 'driver must be one of: process, systemd, docker, exec',
});

const metricSelector = z.string().regex(METRIC_SELECTOR_PATTERN, {
  error: hint(
    'use a Prometheus metric name, or one with label matchers: ' + 'http_requests_total{kind="user"} (=, !=, =~, !~)',
  ),
});

const approverList = z.array(name).min(1, { error: hint('list at least one person allowed to approve for this role') });

export const planSchema = z.strictObject({
  name,
  description: z.string().default(''),
  /** the folder every relative path in this plan is resolved against; default: the plan file's folder */
  workdir: z.string().optional(),
  services: z.strictObject({ v1: serviceSchema, v2: serviceSchema }),
  /** how long a step waits for its host's agent to pick it up before it fails (with hosts only) */
  hostWait: duration('2m', { max: '1d' }).default('2m'),
  backup: z.strictObject({
    paths: z.array(z.string().min(1)).min(1, { error: hint('list the data/config paths to back up before V1 stops') }),
    dir: z.string().default('.data/backups'),
    retentionDays: z.number().int().positive().default(90),
    /** the machine holding `paths` and `dir` (backups and restores run there); default: the orchestrator's own */
    host: name.optional(),
  }),
  /** how traffic moves (domain/traffic-schema.ts); `{pointerFile}` alone is the file driver */
  traffic: trafficSchema.optional(),
  ...strategyFields,
  tests: z.strictObject({
    command,
    cwd: z.string().optional(),
    timeout: duration('10m', { max: '1d' }).default('10m'),
  }),
  thresholds: z
    .strictObject({
      kpiTolerance: fraction.default(0.001),
      errorRateWarn: fraction.default(0.001),
      errorRateRollback: fraction.default(0.05),
      /**
       * requests an error rate needs before it may PASS or roll back; with fewer it is inconclusive (a clear outage
       * still rolls back)
       */
      errorRateMinRequests: z.number().int().min(1).max(100_000).default(100),
      /** how far back the monitoring's error rate reaches to find those requests */
      errorRateWindow: duration('10m', { min: '10s', max: '1h' }).default('10m'),
      latencyWarnMs: z.number().positive().default(100),
      latencyExcellentMs: z.number().positive().default(50),
      memoryDrift: fraction.default(0.1),
      minFreeDiskMb: z.number().nonnegative().default(100),
      latencySamples: z.number().int().positive().max(1000).default(20),
    })
    .prefault({}),
  /** Production validation (the five post-cutover checks); thresholds it shares live in `thresholds`. */
  validation: z
    .strictObject({
      /**
       * a baseline (what `cutover baseline capture` writes, or a saved provider answer such as /kpis), used before the
       * store's
       */
      baselineFile: z.string().min(1).optional(),
      /** the folder where the shadow run and `cutover baseline capture` record V1's answers (<plan name>.json) */
      baselineStore: z.string().min(1).default('.data/baselines'),
      /** average /kpis latency above this FAILs the performance check (above thresholds.latencyWarnMs only WARNs) */
      latencyFailMs: z.number().positive().default(1000),
      /**
       * the counter of user requests on /metrics, the error rate's denominator: a name, or a selector that leaves out
       * health checks, scrapes and admin calls (`http_requests_total{route!~"/health|/metrics"}`); matching series are
       * summed
       */
      requestsMetric: metricSelector.default('demo_http_requests_total{kind="user"}'),
      /** the counter of server-error (5xx) responses to those requests, selected the same way */
      errorsMetric: metricSelector.default('demo_http_errors_total{kind="user"}'),
    })
    .prefault({}),
  /**
   * the checks, as data (domain/check-schema.ts); `default` (or leaving it out) is the default list, an item `default`
   * extends it
   */
  checks: z
    .union(
      [
        z.literal(DEFAULT_CHECKS),
        z
          .array(
            z.union([z.literal(DEFAULT_CHECKS), checkSchema], {
              error: hint('give a check (an object with a name and a provider), or "default" for the default list'),
            }),
          )
          .min(1, { error: hint('list at least one check, or leave `checks` out for the default ones') }),
      ],
      { error: hint('give a list of checks, or "default" for the default list (cutover plan show prints it)') },
    )
    .optional(),
  /** the Prometheus server `prometheus` checks query */
  prometheus: prometheusServerSchema.optional(),
  /** named PostgreSQL databases `sql` checks query (read-only) */
  databases: z.record(name, databaseSchema).default({}),
  approvals: z
    .strictObject({
      approvers: z.record(name, approverList).default({}),
      /** lets a start with autoApprove skip the GO/NO-GO gate (rehearsals, demos); off for production plans */
      allowAutoApprove: z.boolean().default(false),
      gate: z
        .strictObject({
          roles: z.array(name).min(1).default(['engineering', 'operations']),
          timeout: duration('30m', { max: '7d' }).default('30m'),
          onTimeout: z.enum(['abort', 'go']).default('abort'),
          /** forbid the person who started the cutover from being the only approver */
          starterMayApproveAlone: z.boolean().default(false),
        })
        .prefault({}),
      /** every vote must be signed with the approver's SSH key (`cutover approve --key`) */
      requireSignatures: z.boolean().default(false),
      /** approver → OpenSSH Ed25519 public key ("ssh-ed25519 AAAA… you@host"), or a list of them */
      keys: z.record(name, z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])).default({}),
    })
    .prefault({}),
  monitoring: z
    .strictObject({
      duration: duration('24h').default('24h'),
      /** full validation cadence: [until hour, every] pairs, first match wins */
      cadence: z
        .array(z.strictObject({ until: duration('8h'), every: duration('30m') }))
        .min(1)
        .default([
          { until: '8h', every: '30m' },
          { until: '24h', every: '2h' },
        ]),
      /** 1s–1h: a probe loop must rest between probes, and an hour without one is not monitoring */
      sentinelEvery: duration('1m', { max: '1h' }).default('1m'),
      /** synthetic GET /kpis per sentinel probe, so an error rate shows even without user traffic */
      sentinelRequests: z.number().int().min(0).max(100).default(5),
      /** where those synthetic requests go (with the default check list /kpis, the demo contract's); none unless set */
      sentinelPath: z.string().startsWith('/').optional(),
      summaryEvery: duration('4h', { max: '7d' }).default('4h'),
      decisionPoints: z
        .array(
          z.strictObject({
            at: duration('1h'),
            label: z.string(),
            roles: z.array(name).min(1),
            timeout: duration('2h', { max: '7d' }),
            onTimeout: z.enum(['continue', 'rollback']),
          }),
        )
        .default([
          { at: '1h', label: 'Hour 1 decision point', roles: ['engineering'], timeout: '1h', onTimeout: 'continue' },
          { at: '8h', label: 'Hour 8 decision point', roles: ['engineering'], timeout: '2h', onTimeout: 'continue' },
          {
            at: '24h',
            label: 'Hour 24 final sign-off',
            roles: ['engineering', 'operations', 'dataQuality'],
            timeout: '4h',
            onTimeout: 'continue',
          },
        ]),
      onRepeatedFail: z.enum(['rollback', 'escalate']).default('rollback'),
      retryFailAfter: duration('2m', { max: '1h' }).default('2m'),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      /** the NAME of an env var holding the webhook URL: the URL itself never enters a plan or history */
      slackWebhookEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/, {
          error: hint('give the name of an environment variable, e.g. CUTOVER_SLACK_WEBHOOK'),
        })
        .optional(),
      file: z.string().optional(),
    })
    .prefault({}),
  reports: z.strictObject({ dir: z.string().default('.data/reports') }).prefault({}),
});

export type PlanInput = z.input<typeof planSchema>;
/** As `checkPlan` gives it: `checks` is the list the plan runs (domain/default-checks.ts). */
export type Plan = Omit<z.output<typeof planSchema>, 'checks'> & { checks: CheckSpec[] };
export type ServiceSpec = z.output<typeof serviceSchema>;
export type ServiceRole = 'v1' | 'v2';
