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
  name: name.describe("the service's name: {{ service }} in checks, the process driver's pid and log file names"),
  baseUrl: url.describe(
    'base URL of the service: health probes and http checks are joined to it, keeping its base path ' +
      '(the default checks read /kpis, /metrics, /audit, /integrity)',
  ),
  healthPath: z
    .string()
    .startsWith('/')
    .default('/health')
    .describe('probed on baseUrl: a 2xx answer is healthy (after a start, in Phase 0, by the sentinel)'),
  startTimeout: duration('60s', { max: '1h' })
    .default('60s')
    .describe('how long a start waits for the health path to answer 2xx'),
  stopGrace: duration('30s', { max: '1h' }).default('30s').describe('SIGTERM grace before a force stop'),
  artifact: z.string().optional().describe('a file that must exist before Phase 0 passes (the V2 artifact)'),
  host: name
    .optional()
    .describe(
      'the machine it runs on: its start/stop go to the host agent `cutover worker --host NAME`; default: the ' +
        "orchestrator's own",
    ),
};

const processDriver = z.strictObject({
  driver: z.literal('process').describe('run the command as a process group of its own, with a pid and a log file'),
  command: command.describe('program and arguments that run the service (no shell)'),
  cwd: z.string().optional().describe("the command's working directory (relative to workdir)"),
  env: z
    .record(z.string(), z.string())
    .default({})
    .describe("added to the service's environment (in workflow history unless the payload codec is on)"),
  runDir: z.string().default('.data/run').describe('pid and log files go here, one pair per service name'),
  ...serviceFields,
});
const systemdDriver = z.strictObject({
  driver: z.literal('systemd').describe('a systemd unit, through systemctl'),
  unit: z
    .string()
    .regex(/^[A-Za-z0-9:_.@-]+\.service$/, { error: hint('use a unit name like "abaco-pipeline-v2.service"') })
    .describe('the unit systemctl starts, stops and asks (is-active)'),
  ...serviceFields,
});
const dockerDriver = z.strictObject({
  driver: z.literal('docker').describe('an existing container, through the docker CLI'),
  container: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use a container name like "pipeline-v2"') })
    .describe('the container docker starts and stops (it must exist)'),
  ...serviceFields,
});
const execDriver = z.strictObject({
  driver: z.literal('exec').describe('your own commands'),
  start: command.describe('argv that starts the service (run only when status says it is stopped)'),
  stop: command.describe('argv that stops it; status is then polled until stopGrace'),
  forceStop: command.optional().describe('argv run when it still runs after stopGrace'),
  status: command.describe('argv whose exit code is the state: 0 running, anything else stopped'),
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
  monitoring: z
    .strictObject({
      duration: duration('24h').default('24h').describe('how long the monitoring runs after SUCCESS'),
      cadence: z
        .array(
          z.strictObject({
            until: duration('8h').describe('up to this offset from the start …'),
            every: duration('30m').describe('… a full validation this often'),
          }),
        )
        .min(1)
        .default([
          { until: '8h', every: '30m' },
          { until: '24h', every: '2h' },
        ])
        .describe('full validation cadence: [until hour, every] pairs, first match wins'),
      sentinelEvery: duration('1m', { max: '1h' })
        .default('1m')
        .describe(
          'the light probe between validations (a probe loop must rest; an hour without one is not monitoring)',
        ),
      sentinelRequests: z
        .number()
        .int()
        .min(0)
        .max(100)
        .default(5)
        .describe(
          'synthetic GETs of sentinelPath per sentinel probe, so an error rate shows even without user traffic',
        ),
      sentinelPath: z
        .string()
        .startsWith('/')
        .optional()
        .describe(
          "where those synthetic requests go (with the default check list /kpis, the demo contract's); none unless set",
        ),
      summaryEvery: duration('4h', { max: '7d' })
        .default('4h')
        .describe('how often the "Hour N checkpoint: all metrics stable" summary is sent'),
      decisionPoints: z
        .array(
          z.strictObject({
            at: duration('1h').describe("offset from the monitoring's start"),
            label: z.string().describe('its name in notifications, status and the report'),
            roles: z.array(name).min(1).describe('the roles whose votes it waits for'),
            timeout: duration('2h', { max: '7d' }).describe('how long it waits while the probes go on'),
            onTimeout: z.enum(['continue', 'rollback']).describe('what happens when nobody decided in time'),
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
        ])
        .describe('moments the leads vote (NO_GO rolls back) while the probes go on'),
      onRepeatedFail: z
        .enum(['rollback', 'escalate'])
        .default('rollback')
        .describe('what a FAIL seen again after retryFailAfter does'),
      retryFailAfter: duration('2m', { max: '1h' })
        .default('2m')
        .describe('a FAILed validation is run again after this (it may be transient)'),
    })
    .prefault({})
    .describe('the monitoring workflow that runs after SUCCESS'),
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
export type ServiceSpec = z.output<typeof serviceSchema>;
export type ServiceRole = 'v1' | 'v2';
