/**
 * `cutover worker`: the orchestration worker, or with --host a host agent. Every option is also an
 * environment variable, which the worker reads (worker/main.ts): an option given here overrides it.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { packagedBundle } from '../../worker/build-info';
import { CliError, EXIT } from '../exit-codes';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Read by the worker and listed in --help; the three options above set the first three. */
const ENVIRONMENT = [
  ['CUTOVER_HOST', 'run as the host agent of this machine (same as --host)'],
  ['CUTOVER_PLAN_DIR', `plan folders, "${path.delimiter}"-separated (same as --plans; default: the working directory)`],
  ['CUTOVER_METRICS_ADDRESS', 'serve Prometheus metrics on HOST:PORT (same as --metrics)'],
  [
    'CUTOVER_RUN_METRICS_ADDRESS, _POLL, _LINGER',
    "serve each run's status, phases, validations and readings on HOST:PORT/metrics",
  ],
  ['CUTOVER_ALLOW_INLINE_PLANS', '1: accept plans inside the workflow input (they run commands on this host)'],
  ['CUTOVER_RUN_DIR', 'where it records the processes its steps start, to reap them after a crash (default .data/run)'],
  ['CUTOVER_SHUTDOWN_GRACE', 'how long running activities get on SIGTERM (default 30s)'],
  ['CUTOVER_WORKFLOW_BUNDLE', 'a prebuilt workflow bundle (default: the one in the package)'],
  ['CUTOVER_CODEC_KEYS, CUTOVER_CODEC_KEY_FILE', 'encrypt payloads (keys "id:base64", current key first)'],
  ['CUTOVER_MAX_CACHED_WORKFLOWS, CUTOVER_WORKFLOW_TASK_SLOTS, …', 'capacity for many monitorings on one worker'],
  ['CUTOVER_LOG_LEVEL, CUTOVER_LOG_PRETTY', 'log level (default info); 1 / 0: readable lines / JSON'],
  [
    'TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, ' + 'TEMPORAL_TLS*, TEMPORAL_PROFILE',
    'the Temporal connection',
  ],
] as const;

interface WorkerCliOptions {
  host?: string;
  plans?: string[];
  metrics?: string;
}

export function registerWorker(program: Command) {
  program
    .command('worker')
    .description('run the orchestration worker (task queue "cutover"), or with --host the host agent of this machine')
    .addOption(
      new Option('--host <name>', 'be the host agent for this host name of the plans (task queue cutover-host-NAME)'),
    )
    .addOption(new Option('--plans <dir>', 'a folder the worker may read plans from (repeatable)').argParser(collect))
    .addOption(new Option('--metrics <addr>', 'serve Prometheus metrics on this address, e.g. 0.0.0.0:9464'))
    .addHelpText(
      'after',
      `\nEnvironment:\n${ENVIRONMENT.map(([name, text]) => `  ${name}\n      ${text}`).join('\n')}\n`,
    )
    .action(async (opts: WorkerCliOptions) => {
      if (opts.metrics !== undefined && !/^[^\s:]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/.test(opts.metrics)) {
        throw new CliError(`--metrics "${opts.metrics}": expected HOST:PORT, e.g. 127.0.0.1:9464`, EXIT.BAD_INPUT);
      }
      if (opts.host !== undefined) process.env.CUTOVER_HOST = opts.host;
      if (opts.plans?.length) process.env.CUTOVER_PLAN_DIR = opts.plans.join(path.delimiter);
      if (opts.metrics !== undefined) process.env.CUTOVER_METRICS_ADDRESS = opts.metrics;
      const bundle = packagedBundle();
      if (!process.env.CUTOVER_WORKFLOW_BUNDLE && bundle) process.env.CUTOVER_WORKFLOW_BUNDLE = bundle;
      // Loaded here: the worker SDK (and its native bridge) is only needed by this command. By require,
      // as the compiled package does: under tsx (a checkout) an import() goes to Node's ESM loader,
      // which resolves no extensionless path and compiles no TypeScript.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runWorker } = require('../../worker/main') as typeof import('../../worker/main');
      await runWorker();
    });
}
