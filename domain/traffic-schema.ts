/**
 * How a plan moves traffic: the router driver (`traffic.driver`) and the strategy (`strategy`).
 * `traffic: {pointerFile}` alone stays valid: it is the `file` driver, the seed's behaviour.
 * Strict objects, so a misspelt key is an error rather than a silently ignored default.
 */
import { z } from 'zod';
import { duration, hint } from './duration-field';

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use letters, digits, ".", "_" or "-" (no spaces)') });
const command = z.array(z.string().min(1)).min(1, {
  error: hint('give the program and its arguments as a list, e.g. ' + '["/usr/local/bin/switch", "{role}"]'),
});

/** How an answer through the router tells which version served it. */
const verifySchema = z
  .strictObject({
    /** the path probed on publicUrl; default the demo's /health */
    path: z
      .string()
      .startsWith('/', { error: hint('start the path with "/", e.g. "/health"') })
      .default('/health'),
    /** a response header naming the version (e.g. "X-Version") ... */
    header: z.string().min(1).optional(),
    /** ... or a dotted path into the JSON body (default "version", the demo's /health field) */
    jsonField: z.string().min(1).optional(),
    /** what V1 and V2 answer in that header or field */
    values: z.strictObject({ v1: z.string().min(1), v2: z.string().min(1) }).default({ v1: 'v1', v2: 'v2' }),
    /** give up (the step fails, the rollback runs) when the new version has not answered by then */
    timeout: duration('15s').default('15s'),
    /** answers in a row that must all come from the new version */
    consecutive: z.number().int().min(1).max(100).default(5),
  })
  .prefault({});

const common = {
  /** the address users call, through the router; every switch is verified there. Without it nothing is probed. */
  publicUrl: z.url({ error: hint('use a full URL, e.g. http://127.0.0.1:8100') }).optional(),
  verify: verifySchema,
  /** where the router's state before a cutover is kept, so the undo restores exactly that */
  stateDir: z.string().default('.data/traffic'),
  /**
   * the machine the router (or pointer file) is on: its steps run on that host's agent; default the orchestrator's own
   */
  host: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use letters, digits, ".", "_" or "-" (no spaces)') })
    .optional(),
};

const fileDriver = z.strictObject({
  driver: z.literal('file').default('file'),
  /** the file a router reads to learn the active upstream (a JSON pointer) */
  pointerFile: z.string(),
  ...common,
});
const nginxDriver = z.strictObject({
  driver: z.literal('nginx'),
  /** nginx's main config (`nginx -t -c` / `nginx -s reload -c`); it includes `include` inside an http block */
  config: z.string().min(1),
  /** the upstream file this tool writes (atomically; the previous one is kept beside it as .previous) */
  include: z.string().min(1),
  /** the upstream block's name, which the config's proxy_pass uses */
  upstream: name.default('cutover_upstream'),
  /** default ["nginx", "-t", "-q", "-e", "stderr", "-c", config] */
  test: command.optional(),
  /** default ["nginx", "-s", "reload", "-e", "stderr", "-c", config] */
  reload: command.optional(),
});
const haproxyDriver = z.strictObject({
  driver: z.literal('haproxy'),
  /** the admin socket (`stats socket … level admin`) */
  socket: z.string().min(1),
  backend: name,
  /** the server names of V1 and V2 in that backend */
  servers: z.strictObject({ v1: name, v2: name }),
  /** the weight of a server that takes all traffic (HAProxy 0–256) */
  fullWeight: z.number().int().min(1).max(256).default(100),
  /**
   * also write `show servers state` here after each change (the config's `server-state-file`), so a restart keeps it
   */
  persistStateFile: z.string().min(1).optional(),
});
const execDriver = z.strictObject({
  driver: z.literal('exec'),
  /** argv; "{role}" becomes v1 or v2 */
  switch: command,
  /** argv; "{v1}" and "{v2}" become the weights in percent */
  weights: command.optional(),
  /** argv printing {"v1": weight, "v2": weight} (percent) on stdout */
  state: command,
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
  /** V2's share in percent */
  weight: z
    .number()
    .int()
    .min(1, { error: hint('a canary step sends 1–100% to V2') })
    .max(100),
  /** wait this long (checks run after it) ... */
  pause: duration('1m').optional(),
  /** ... and/or wait for these roles to approve the step (the GO/NO-GO machinery) */
  approval: z.array(name).min(1).optional(),
});

export const strategyFields = {
  /**
   * cutover: stop V1, start V2, switch (503 + Retry-After meanwhile); blueGreen: V2 beside V1, switch, bake; canary:
   * weight steps
   */
  strategy: z
    .enum(['cutover', 'blueGreen', 'canary'], { error: hint('use cutover, blueGreen or canary') })
    .default('cutover'),
  blueGreen: z
    .strictObject({
      /** V1 stays warm (drained, running) this long after the switch; a rollback meanwhile is a switch back */
      bakeTime: duration('10m').default('10m'),
      /** V1 and V2 write the same data: a rollback then also restores the final snapshot */
      sharedData: z.boolean().default(false),
    })
    .prefault({}),
  canary: z
    .strictObject({
      steps: z
        .array(canaryStep)
        .min(1)
        .default([{ weight: 10, pause: '30s' }, { weight: 50, pause: '30s' }, { weight: 100 }]),
    })
    .prefault({}),
};

export type TrafficSpec = z.output<typeof trafficSchema>;
export type TrafficDriverName = TrafficSpec['driver'];
export type CanaryStep = z.output<typeof canaryStep>;
