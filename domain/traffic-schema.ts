/**
 * How a plan moves traffic: the router driver (`traffic.driver`) and the strategy (`strategy`).
 * `traffic: {pointerFile}` alone stays valid: it is the `file` driver, the seed's behaviour.
 * Strict objects, so a misspelt key is an error rather than a silently ignored default.
 */
import { z } from 'zod';
import { duration, hint } from './duration-field';
import { name } from './field-types';

const command = z.array(z.string().min(1)).min(1, {
  error: hint('give the program and its arguments as a list, e.g. ' + '["/usr/local/bin/switch", "{role}"]'),
});

/** How an answer through the router tells which version served it. */
const verifySchema = z
  .strictObject({
    path: z
      .string()
      .startsWith('/', { error: hint('start the path with "/", e.g. "/health"') })
      .default('/health')
      .describe("the path probed on publicUrl; default the demo's /health"),
    header: z.string().min(1).optional().describe('a response header naming the version (e.g. "X-Version") ...'),
    jsonField: z
      .string()
      .min(1)
      .optional()
      .describe('... or a dotted path into the JSON body (default "version", the demo\'s /health field)'),
    values: z
      .strictObject({
        v1: z.string().min(1).describe('what V1 answers'),
        v2: z.string().min(1).describe('what V2 answers'),
      })
      .default({ v1: 'v1', v2: 'v2' })
      .describe('what V1 and V2 answer in that header or field'),
    timeout: duration('15s')
      .default('15s')
      .describe('give up (the step fails, the rollback runs) when the new version has not answered by then'),
    consecutive: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('answers in a row that must all come from the new version'),
  })
  .prefault({})
  .describe('how an answer through the router tells which version served it');

const common = {
  publicUrl: z
    .url({ error: hint('use a full URL, e.g. http://127.0.0.1:8100') })
    .optional()
    .describe(
      'the address users call, through the router; every switch is verified there. Without it nothing is probed.',
    ),
  verify: verifySchema,
  stateDir: z
    .string()
    .default('.data/traffic')
    .describe("where the router's state before a cutover is kept, so the undo restores exactly that"),
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use letters, digits, ".", "_" or "-" (no spaces)') })
    .optional()
    .describe(
      "the machine the router (or pointer file) is on: its steps run on that host's agent; default the " +
        "orchestrator's own",
    ),
};

const fileDriver = z.strictObject({
  driver: z.literal('file').default('file').describe('a JSON pointer file, replaced atomically (no canary)'),
  pointerFile: z.string().describe('the file a router reads to learn the active upstream (a JSON pointer)'),
  ...common,
});
const nginxDriver = z.strictObject({
  driver: z.literal('nginx').describe('an upstream include, tested and reloaded'),
  config: z
    .string()
    .min(1)
    .describe("nginx's main config (`nginx -t -c` / `nginx -s reload -c`); it includes `include` inside an http block"),
  include: z
    .string()
    .min(1)
    .describe('the upstream file this tool writes (atomically; the previous one is kept beside it as .previous)'),
  upstream: name.default('cutover_upstream').describe("the upstream block's name, which the config's proxy_pass uses"),
  test: command.optional().describe('default ["nginx", "-t", "-q", "-e", "stderr", "-c", config]'),
  reload: command.optional().describe('default ["nginx", "-s", "reload", "-e", "stderr", "-c", config]'),
});
const haproxyDriver = z.strictObject({
  driver: z.literal('haproxy').describe("HAProxy's runtime API on its admin socket"),
  socket: z.string().min(1).describe('the admin socket (`stats socket … level admin`)'),
  backend: name.describe('the backend holding both servers'),
  servers: z
    .strictObject({
      v1: name.describe("V1's server name in that backend"),
      v2: name.describe("V2's server name in that backend"),
    })
    .describe('the server names of V1 and V2 in that backend'),
  fullWeight: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(100)
    .describe('the weight of a server that takes all traffic (HAProxy 0–256)'),
  persistStateFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      "also write `show servers state` here after each change (the config's `server-state-file`), so a restart " +
        'keeps it',
    ),
});
const execDriver = z.strictObject({
  driver: z.literal('exec').describe('your own commands'),
  switch: command.describe('argv; "{role}" becomes v1 or v2'),
  weights: command.optional().describe('argv; "{v1}" and "{v2}" become the weights in percent (needed for canary)'),
  state: command.describe('argv printing {"v1": weight, "v2": weight} (percent) on stdout'),
});

export const trafficSchema = z.discriminatedUnion(
  'driver',
  [fileDriver, nginxDriver.extend(common), haproxyDriver.extend(common), execDriver.extend(common)],
  {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : 'traffic.driver must be one of: file (with pointerFile), nginx, ' + 'haproxy, exec',
  },
);

const canaryStep = z.strictObject({
  weight: z
    .number()
    .int()
    .min(1, { error: hint('a canary step sends 1–100% to V2') })
    .max(100)
    .describe("V2's share in percent"),
  pause: duration('1m').optional().describe('wait this long (checks run after it) ...'),
  approval: z
    .array(name)
    .min(1)
    .optional()
    .describe('... and/or wait for these roles to approve the step (the GO/NO-GO machinery)'),
});

export const strategyFields = {
  strategy: z
    .enum(['cutover', 'blueGreen', 'canary'], { error: hint('use cutover, blueGreen or canary') })
    .default('cutover')
    .describe(
      'cutover: stop V1, start V2, switch (503 + Retry-After meanwhile); blueGreen: V2 beside V1, switch, bake; ' +
        'canary: weight steps',
    ),
  blueGreen: z
    .strictObject({
      bakeTime: duration('10m')
        .default('10m')
        .describe('V1 stays warm (drained, running) this long after the switch; a rollback meanwhile is a switch back'),
      sharedData: z
        .boolean()
        .default(false)
        .describe('V1 and V2 write the same data: a rollback then also restores the final snapshot'),
    })
    .prefault({})
    .describe('settings of strategy blueGreen'),
  canary: z
    .strictObject({
      steps: z
        .array(canaryStep)
        .min(1)
        .default([{ weight: 10, pause: '30s' }, { weight: 50, pause: '30s' }, { weight: 100 }])
        .describe("V2's rising shares; the last is 100"),
    })
    .prefault({})
    .describe('settings of strategy canary'),
};

export type TrafficSpec = z.output<typeof trafficSchema>;
export type TrafficDriverName = TrafficSpec['driver'];
export type CanaryStep = z.output<typeof canaryStep>;
