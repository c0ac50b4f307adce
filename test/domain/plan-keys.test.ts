/**
 * Plans checked to the last key: a typo at any depth is refused with the key it meant, in `plan check`, at load and in
 * the JSON Schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { checkPlanFile } from '../../client/commands/plan';
import { createPlanActivities } from '../../activities/plan-loader';
import { checkPlan, planJsonSchema } from '../../domain/plan-check';
import { runCutover } from '../helpers/cutover-cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-keys-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const valid = () => parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
let seq = 0;
const planFile = (plan: unknown) => {
  const file = path.join(dir, `plan-${++seq}.yaml`);
  fs.writeFileSync(file, stringify(plan));
  return file;
};
const processV1 = { name: 'v1', driver: 'process', command: ['node', 'v1.js'], baseUrl: 'http://127.0.0.1:8101' };
const check = (extra: Record<string, unknown>) => [{ name: 'probe', ...extra }];

// [where, how the typo is made, the path reported, the typo, the key it meant]
const typos: Array<[string, (p: any) => void, string, string, string]> = [
  ['the top level', (p) => (p.notificatons = {}), '(plan)', 'notificatons', 'notifications'],
  ['a service (systemd)', (p) => (p.services.v1.stopGrase = '10s'), 'services.v1', 'stopGrase', 'stopGrace'],
  ['a service (process)', (p) => (p.services.v1 = { ...processV1, runDri: 'run' }), 'services.v1', 'runDri', 'runDir'],
  ['backup', (p) => (p.backup.retentionDayz = 3), 'backup', 'retentionDayz', 'retentionDays'],
  ['tests', (p) => (p.tests.timeot = '5m'), 'tests', 'timeot', 'timeout'],
  ['thresholds', (p) => (p.thresholds = { errorRateWran: 0.01 }), 'thresholds', 'errorRateWran', 'errorRateWarn'],
  ['validation', (p) => (p.validation = { latencyFailMS: 900 }), 'validation', 'latencyFailMS', 'latencyFailMs'],
  ['approvals', (p) => (p.approvals.requireSignature = true), 'approvals', 'requireSignature', 'requireSignatures'],
  ['the gate', (p) => (p.approvals.gate = { onTimout: 'go' }), 'approvals.gate', 'onTimout', 'onTimeout'],
  ['monitoring', (p) => (p.monitoring = { sentinelEvry: '1m' }), 'monitoring', 'sentinelEvry', 'sentinelEvery'],
  [
    'a cadence step',
    (p) => (p.monitoring = { duration: '8h', cadence: [{ until: '8h', evry: '30m' }] }),
    'monitoring.cadence.0',
    'evry',
    'every',
  ],
  [
    'a decision point',
    (p) =>
      (p.monitoring = {
        decisionPoints: [
          { at: '1h', label: 'H1', roles: ['engineering'], timeout: '1h', onTimeout: 'continue', tiemout: '2h' },
        ],
      }),
    'monitoring.decisionPoints.0',
    'tiemout',
    'timeout',
  ],
  ['notifications', (p) => (p.notifications.fiel = 'n.log'), 'notifications', 'fiel', 'file'],
  ['reports', (p) => (p.reports = { dri: 'r' }), 'reports', 'dri', 'dir'],
  [
    'traffic (file driver)',
    (p) => (p.traffic = { pointerFile: 'up.json', pubilcUrl: 'http://127.0.0.1:8100' }),
    'traffic',
    'pubilcUrl',
    'publicUrl',
  ],
  [
    'traffic servers (haproxy)',
    (p) => (p.traffic = { driver: 'haproxy', socket: 's.sock', backend: 'b', servers: { v1: 'a', v2: 'b', v3: 'c' } }),
    'traffic.servers',
    'v3',
    'v1',
  ],
  [
    'traffic verify',
    (p) => (p.traffic = { pointerFile: 'up.json', verify: { jsonFeld: 'version' } }),
    'traffic.verify',
    'jsonFeld',
    'jsonField',
  ],
  [
    'a canary step',
    (p) => (p.canary = { steps: [{ weight: 10, pase: '30s' }, { weight: 100 }] }),
    'canary.steps.0',
    'pase',
    'pause',
  ],
  ['blueGreen', (p) => (p.blueGreen = { bakeTme: '5m' }), 'blueGreen', 'bakeTme', 'bakeTime'],
  [
    'a check',
    (p) => (p.checks = check({ http: { path: '/health' }, failureLimt: 2 })),
    'checks.0',
    'failureLimt',
    'failureLimit',
  ],
  [
    'an http provider',
    (p) => (p.checks = check({ http: { path: '/kpis', extrct: 'kpis' } })),
    'checks.0.http',
    'extrct',
    'extract',
  ],
  [
    'a prometheus provider',
    (p) => (p.checks = check({ prometheus: { query: 'up', windw: '5m' } })),
    'checks.0.prometheus',
    'windw',
    'window',
  ],
  [
    'a command provider',
    (p) => (p.checks = check({ command: { argv: ['true'], okExitCode: [0] } })),
    'checks.0.command',
    'okExitCode',
    'okExitCodes',
  ],
  [
    'a compare',
    (p) => (p.checks = check({ http: { path: '/kpis' }, compare: { relatve: 0.001 } })),
    'checks.0.compare',
    'relatve',
    'relative',
  ],
  [
    'a trend',
    (p) => (p.checks = check({ http: { path: '/metrics' }, trend: { maxdrift: 0.1 } })),
    'checks.0.trend',
    'maxdrift',
    'maxDrift',
  ],
  [
    'the prometheus server',
    (p) => (p.prometheus = { address: 'http://127.0.0.1:9090', bearerTokenENV: 'T' }),
    'prometheus',
    'bearerTokenENV',
    'bearerTokenEnv',
  ],
  ['a database', (p) => (p.databases = { wh: { urlEnvv: 'DB_URL' } }), 'databases.wh', 'urlEnvv', 'urlEnv'],
];

describe('a typo at every depth is refused by plan check, naming the key and the one it meant', () => {
  test.each(typos)('in %s', async (_where, mutate, at, typo, meant) => {
    const plan = valid();
    mutate(plan);
    const refused = await checkPlanFile(planFile(plan)).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(refused).toBeDefined();
    expect(refused).toContain(`✗ ${at}: unknown key "${typo}": did you mean \`${meant}\`?`);
  });
});

test('a misspelt required key is named with the fix, not reported as merely missing', () => {
  const plan = valid();
  plan.services.v1 = { ...processV1, comand: processV1.command, command: undefined };
  const result = checkPlan(JSON.parse(JSON.stringify(plan)));
  if (result.ok) throw new Error('expected the plan to be refused');
  expect(result.problems).toEqual(
    expect.arrayContaining([
      { path: 'services.v1.command', message: 'required: the plan has "comand" beside it — did you mean `command`?' },
      { path: 'services.v1', message: 'unknown key "comand": did you mean `command`?' },
    ]),
  );
});

test('a key nothing resembles lists the keys that place may hold', () => {
  const plan = valid();
  plan.backup.zzz = 1;
  const result = checkPlan(plan);
  if (result.ok) throw new Error('expected the plan to be refused');
  expect(result.problems).toEqual([
    {
      path: 'backup',
      message: 'unknown key "zzz": remove it, or use one of `paths`, `databases`, `dir`, ' + '`retentionDays`, `host`',
    },
  ]);
});

test('the worker refuses the same typo when it loads the plan', async () => {
  const plan = valid();
  plan.services.v2.stopGrase = '10s';
  const file = planFile(plan);
  const { loadPlan } = createPlanActivities({ planDirs: [dir], allowInlinePlans: true });
  await expect(loadPlan(path.basename(file))).rejects.toThrow(
    /services\.v2: unknown key "stopGrase": did you mean `stopGrace`\?/,
  );
  await expect(loadPlan(plan)).rejects.toThrow(/did you mean `stopGrace`/);
});

test('the cutover CLI prints the suggestion and exits 2', () => {
  const plan = valid();
  plan.services.v1.stopGrase = '10s';
  const r = runCutover(['plan', 'check', planFile(plan)]);
  expect(r.code).toBe(2);
  expect(r.err).toContain('✗ services.v1: unknown key "stopGrase": did you mean `stopGrace`?');
});

test('every object of the JSON Schema refuses keys it does not list (additionalProperties: false)', () => {
  const open: string[] = [];
  let closed = 0;
  const walk = (node: unknown, at: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'object' && n.properties) {
      if (n.additionalProperties === false) closed++;
      else open.push(at);
    }
    for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
  };
  const schema = planJsonSchema() as { properties: { services: { properties: { v1: unknown } } } };
  walk(schema, '#');
  expect(open).toEqual([]);
  expect(closed).toBeGreaterThan(30);
  // the services too, each driver's object with the fields every service shares
  const v1 = JSON.stringify(schema.properties.services.properties.v1);
  expect(v1).toContain('"stopGrace"');
  expect(v1.match(/"additionalProperties":false/g)?.length).toBeGreaterThanOrEqual(4);
});

describe('durations are refused outside the range that makes sense for them', () => {
  const cases: Array<[string, (p: any) => void, string, RegExp]> = [
    [
      'a sentinel every millisecond',
      (p) => (p.monitoring = { sentinelEvery: '1ms' }),
      'monitoring.sentinelEvery',
      /"1ms" is too short here: use at least 1s/,
    ],
    [
      'a sentinel once a day',
      (p) => (p.monitoring = { sentinelEvery: '1d' }),
      'monitoring.sentinelEvery',
      /"1d" is too long here: use at most 1h/,
    ],
    [
      'a stop grace of 400 days',
      (p) => (p.services.v1.stopGrace = '400d'),
      'services.v1.stopGrace',
      /too long here: use at most 1h/,
    ],
    [
      'a re-run wait of 5 ms',
      (p) => (p.monitoring = { retryFailAfter: '5ms' }),
      'monitoring.retryFailAfter',
      /too short here: use at least 1s/,
    ],
    [
      'an http timeout of 1 ms',
      (p) => (p.checks = check({ http: { path: '/health', timeout: '1ms' } })),
      'checks.0.http.timeout',
      /too short here: use at least 100ms/,
    ],
  ];
  test.each(cases)('%s', (_title, mutate, at, message) => {
    const plan = valid();
    mutate(plan);
    const result = checkPlan(plan);
    if (result.ok) throw new Error('expected the plan to be refused');
    expect(result.problems.find((p) => p.path === at)?.message).toMatch(message);
  });

  test('the bounds themselves are accepted', () => {
    const plan = valid();
    plan.monitoring = { sentinelEvery: '1s', retryFailAfter: '1h' };
    plan.services.v1.stopGrace = '1h';
    expect(checkPlan(plan).ok).toBe(true);
  });
});
