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
import { backupSchema } from './backup-schema';
import { name } from './field-types';
import { serviceSchema } from './service-schema';
import { monitoringSchema } from './monitoring-schema';

/** The plan's services are its own types too: import them from here or from service-schema.ts. */
const fraction = z
  .number()
  .min(0, { error: hint('use a fraction from 0 to 1 (0.05 = 5%)') })
  .max(1, { error: hint('use a fraction from 0 to 1 (0.05 = 5%)') });
const command = z
  .array(z.string().min(1))
  .min(1, { error: hint('give the program and its arguments as a list, e.g. ["npm", "test"]') });

const metricSelector = z.string().regex(METRIC_SELECTOR_PATTERN, {
  error: hint(
    'use a Prometheus metric name, or one with label matchers: ' + 'http_requests_total{kind="user"} (=, !=, =~, !~)',
  ),
});

const approverList = z.array(name).min(1, { error: hint('list at least one person allowed to approve for this role') });

export const planSchema = z.strictObject({
  name: name.describe("the plan's name: workflow ids (cutover-<name>-<time>), locks, CutoverPlan, backup labels"),
  description: z.string().default('').describe('free text, for people'),
  workdir: z
    .string()
    .optional()
    .describe("the folder every relative path in this plan is resolved against; default: the plan file's folder"),
  services: z
    .strictObject({ v1: serviceSchema, v2: serviceSchema })
    .describe('V1 (serving now) and V2 (to serve after the cutover), each with its driver'),
  hostWait: duration('2m', { max: '1d' })
    .default('2m')
    .describe("how long a step waits for its host's agent to pick it up before it fails (with hosts only)"),
  backup: backupSchema.describe(
    'Phase 1 backups (files as tar.gz, databases as dumps; sha256 and one manifest) and the final snapshot after V1 ' +
      'stops',
  ),
  traffic: trafficSchema
    .optional()
    .describe('how traffic moves (domain/traffic-schema.ts); `{pointerFile}` alone is the file driver'),
  ...strategyFields,
  tests: z
    .strictObject({
      command: command.describe("V2's test suite, as argv (no shell)"),
      cwd: z.string().optional().describe('where it runs (relative to workdir)'),
      timeout: duration('10m', { max: '1d' }).default('10m').describe('the whole run; past it the phase fails'),
    })
    .describe("Phase 2's gate: any failed test, or no test at all, stops the cutover before V1 is touched"),
  thresholds: z
    .strictObject({
      kpiTolerance: fraction.default(0.001).describe("allowed relative KPI deviation from V1's (the default checks)"),
      errorRateWarn: fraction.default(0.001).describe('an error rate above this WARNs'),
      errorRateRollback: fraction.default(0.05).describe('an error rate above this FAILs (in monitoring: rolls back)'),
      errorRateMinRequests: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(100)
        .describe(
          'requests an error rate needs before it may PASS or roll back; with fewer it is inconclusive (a clear ' +
            'outage still rolls back)',
        ),
      errorRateWindow: duration('10m', { min: '10s', max: '1h' })
        .default('10m')
        .describe("how far back the monitoring's error rate reaches to find those requests"),
      latencyWarnMs: z.number().positive().default(100).describe('an average latency above this WARNs'),
      latencyExcellentMs: z
        .number()
        .positive()
        .default(50)
        .describe('accepted for plans written for the seed; no check reads it'),
      memoryDrift: fraction
        .default(0.1)
        .describe('memory further than this from the hour-1 reading WARNs (monitoring)'),
      minFreeDiskMb: z.number().nonnegative().default(100).describe('Phase 0: free space needed under backup.dir'),
      latencySamples: z
        .number()
        .int()
        .positive()
        .max(1000)
        .default(20)
        .describe('timed requests of the default performance check'),
    })
    .prefault({})
    .describe("the seed's limits, read by the default checks and the monitoring's decision matrix"),
  validation: z
    .strictObject({
      baselineFile: z
        .string()
        .min(1)
        .optional()
        .describe(
          'a baseline (what `cutover baseline capture` writes, or a saved provider answer such as /kpis), used ' +
            "before the store's",
        ),
      baselineStore: z
        .string()
        .min(1)
        .default('.data/baselines')
        .describe(
          "the folder where the shadow run and `cutover baseline capture` record V1's answers (<plan name>.json)",
        ),
      latencyFailMs: z
        .number()
        .positive()
        .default(1000)
        .describe(
          'average /kpis latency above this FAILs the performance check (above thresholds.latencyWarnMs only WARNs)',
        ),
      requestsMetric: metricSelector
        .default('demo_http_requests_total{kind="user"}')
        .describe(
          "the counter of user requests on /metrics, the error rate's denominator: a name, or a selector that " +
            'leaves out health checks, scrapes and admin calls (`http_requests_total{route!~"/health|/metrics"}`); ' +
            'matching series are summed',
        ),
      errorsMetric: metricSelector
        .default('demo_http_errors_total{kind="user"}')
        .describe('the counter of server-error (5xx) responses to those requests, selected the same way'),
    })
    .prefault({})
    .describe('production validation settings; the thresholds it shares live in `thresholds`'),
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
    .optional()
    .describe(
      'the checks, as data (domain/check-schema.ts); `default` (or leaving it out) is the default list, an item ' +
        '`default` extends it',
    ),
  prometheus: prometheusServerSchema.optional().describe('the Prometheus server `prometheus` checks query'),
  databases: z
    .record(name, databaseSchema)
    .default({})
    .describe('named PostgreSQL databases `sql` checks query (read-only)'),
  approvals: z
    .strictObject({
      approvers: z.record(name, approverList).default({}).describe('role → the names allowed to vote for it'),
      allowAutoApprove: z
        .boolean()
        .default(false)
        .describe('lets a start with autoApprove skip the GO/NO-GO gate (rehearsals, demos); off for production plans'),
      gate: z
        .strictObject({
          roles: z
            .array(name)
            .min(1)
            .default(['engineering', 'operations'])
            .describe('the roles that must each vote GO before Phase 1'),
          timeout: duration('30m', { max: '7d' }).default('30m').describe('how long the gate waits for the votes'),
          onTimeout: z.enum(['abort', 'go']).default('abort').describe('what happens when nobody decided in time'),
          starterMayApproveAlone: z
            .boolean()
            .default(false)
            .describe('let the person who started the cutover complete the gate alone (default: another must vote)'),
        })
        .prefault({})
        .describe('the GO/NO-GO gate between Phase 0 and Phase 1'),
      requireSignatures: z
        .boolean()
        .default(false)
        .describe("every vote must be signed with the approver's SSH key (`cutover approve --key`)"),
      keys: z
        .record(name, z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
        .default({})
        .describe('approver → OpenSSH Ed25519 public key ("ssh-ed25519 AAAA… you@host"), or a list of them'),
      distinctPeople: z
        .boolean()
        .optional()
        .describe(
          'one person counts for one role per gate (names sharing a key are one person); default: on when ' +
            '`requireSignatures` is',
        ),
      starterMayApprove: z
        .boolean()
        .default(true)
        .describe('false: the vote of the person who started the cutover does not count at the gate'),
    })
    .prefault({})
    .describe('who may vote, at the gate and at the monitoring decision points'),
  monitoring: monitoringSchema,
  notifications: z
    .strictObject({
      slackWebhookEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/, {
          error: hint('give the name of an environment variable, e.g. CUTOVER_SLACK_WEBHOOK'),
        })
        .optional()
        .describe('the NAME of an env var holding the webhook URL: the URL itself never enters a plan or history'),
      file: z.string().optional().describe('a file that gets one JSON line per message'),
    })
    .prefault({})
    .describe('where messages go: a JSON-lines file and/or a Slack-compatible webhook'),
  reports: z
    .strictObject({
      dir: z.string().default('.data/reports').describe('validation, canary and monitoring reports are written here'),
    })
    .prefault({})
    .describe('report files'),
});

export type PlanInput = z.input<typeof planSchema>;
/** As `checkPlan` gives it: `checks` is the list the plan runs (domain/default-checks.ts). */
export type Plan = Omit<z.output<typeof planSchema>, 'checks'> & { checks: CheckSpec[] };
