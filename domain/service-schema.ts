/** A service of the plan (V1 or V2): what every service has, and each driver's own fields. */
import { z } from 'zod';
import { duration, hint } from './duration-field';
import { name } from './field-types';

const url = z.url({ error: hint('use a full URL, e.g. http://127.0.0.1:8101') });
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

export type ServiceSpec = z.output<typeof serviceSchema>;
export type ServiceRole = 'v1' | 'v2';
