import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkPlan, planJsonSchema } from '../../domain/plan-check';

const valid = () => parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
const problemsOf = (raw: unknown) => {
  const result = checkPlan(raw);
  if (result.ok) throw new Error('expected the plan to be invalid');
  return result.problems;
};

describe('plan check', () => {
  test('a complete plan is valid and gets the seed defaults', () => {
    const result = checkPlan(valid());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.plan.thresholds).toMatchObject({
      errorRateRollback: 0.05,
      latencyWarnMs: 100,
      kpiTolerance: 0.001,
      memoryDrift: 0.1,
    });
    expect(result.plan.monitoring.decisionPoints.map((d) => d.at)).toEqual(['1h', '8h', '24h']);
    expect(result.plan.monitoring.decisionPoints[2].roles).toEqual(['engineering', 'operations', 'dataQuality']);
    expect(result.plan.approvals.gate).toMatchObject({ roles: ['engineering', 'operations'], onTimeout: 'abort' });
    expect(result.plan.backup.retentionDays).toBe(90);
  });

  const cases: Array<[string, (p: any) => void, string, RegExp]> = [
    ['a missing service', (p) => delete p.services.v2, 'services.v2', /required/],
    [
      'an unknown driver',
      (p) => (p.services.v1.driver = 'kubernetes'),
      'services.v1.driver',
      /process, systemd, docker, exec/,
    ],
    [
      'a unit name with a shell metacharacter',
      (p) => (p.services.v1.unit = 'x; rm -rf /'),
      'services.v1.unit',
      /unit name/,
    ],
    ['a misspelt key', (p) => (p.backup.retentionDayz = 3), 'backup', /unknown key "retentionDayz"/],
    [
      'a database backup without its url',
      (p) => (p.backup.databases = [{ name: 'orders', driver: 'postgres' }]),
      'backup.databases.0.url',
      /required/,
    ],
    [
      'a database url given as the secret itself',
      (p) => (p.backup.databases = [{ name: 'orders', driver: 'postgres', url: { env: 'postgres://u:p@h/db' } }]),
      'backup.databases.0.url.env',
      /NAME of an environment variable/,
    ],
    [
      'a database backup driver that does not exist',
      (p) => (p.backup.databases = [{ name: 'orders', driver: 'mysql' }]),
      'backup.databases.0.driver',
      /postgres \(name, url: \{ env \}\), command/,
    ],
    [
      'a misspelt key of a database backup',
      (p) => (p.backup.databases = [{ name: 'o', driver: 'postgres', url: { env: 'DB_URL' }, schema: ['x'] }]),
      'backup.databases.0',
      /unknown key "schema"/,
    ],
    [
      'a command artifact that is a path',
      (p) =>
        (p.backup.databases = [{ name: 'o', driver: 'command', backup: ['b'], restore: ['r'], artifact: '../o.sql' }]),
      'backup.databases.0.artifact',
      /a file name such as "orders.sql"/,
    ],
    [
      'a command given as one string',
      (p) =>
        (p.backup.databases = [{ name: 'o', driver: 'command', backup: './dump.sh', restore: ['r'], artifact: 'o' }]),
      'backup.databases.0.backup',
      /expected array/,
    ],
    [
      'two database backups of one name',
      (p) =>
        (p.backup.databases = [
          { name: 'o', driver: 'postgres', url: { env: 'A_URL' } },
          { name: 'o', driver: 'postgres', url: { env: 'B_URL' } },
        ]),
      'backup.databases.1.name',
      /"o" is used twice/,
    ],
    [
      'no paths and no databases',
      (p) => (p.backup.paths = []),
      'backup.paths',
      /or a database under backup\.databases/,
    ],
    [
      'a duration without a unit',
      (p) => (p.approvals = { ...p.approvals, gate: { timeout: '30' } }),
      'approvals.gate.timeout',
      /e\.g\. "30m"/,
    ],
    ['a relative base URL', (p) => (p.services.v2.baseUrl = 'localhost'), 'services.v2.baseUrl', /full URL/],
    [
      'an error rate over 100%',
      (p) => (p.thresholds = { errorRateRollback: 5 }),
      'thresholds.errorRateRollback',
      /fraction from 0 to 1/,
    ],
    ['a test command given as one string', (p) => (p.tests.command = 'npm test'), 'tests.command', /expected array/],
    [
      'a gate role nobody may approve for',
      (p) => delete p.approvals.approvers.operations,
      'approvals.approvers.operations',
      /add approvals\.approvers\.operations/,
    ],
    [
      'a decision point after the end of monitoring',
      (p) => (p.monitoring = { duration: '12h', cadence: [{ until: '12h', every: '1h' }] }),
      'monitoring.decisionPoints.2.at',
      /after the end of monitoring/,
    ],
    [
      'a webhook URL where an env var name belongs',
      (p) => (p.notifications.slackWebhookEnv = 'https://hooks.example/x'),
      'notifications.slackWebhookEnv',
      /name of an environment variable/,
    ],
    [
      "a check's argv given as one string",
      (p) => (p.checks = [{ name: 'script', command: { argv: 'sh -c "curl x | sh"' } }]),
      'checks.0.command.argv',
      /^expected array, received string: change it to a list/,
    ],
    [
      'a second check that is neither a check nor "default"',
      (p) => (p.checks = ['default', 'health']),
      'checks.1',
      /^give a check \(an object with a name and a provider\), or "default"/,
    ],
    [
      'a misspelt key in a check after the default list',
      (p) => (p.checks = ['default', { name: 'x', htp: { path: '/health' } }]),
      'checks.1',
      /^unknown key "htp": did you mean `http`\?/,
    ],
    ['checks that are neither a list nor "default"', (p) => (p.checks = 'all'), 'checks', /^give a list of checks/],
    ['an empty list of checks', (p) => (p.checks = []), 'checks', /^list at least one check, or leave `checks` out/],
  ];
  test.each(cases)('%s is reported at its path with a fix', (_title, mutate, pathText, message) => {
    const plan = valid();
    mutate(plan);
    const problems = problemsOf(plan);
    const problem = problems.find((p) => p.path === pathText);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  test('a plan may back up databases alone: paths may then be empty', () => {
    const plan = valid();
    plan.backup = {
      paths: [],
      databases: [
        { name: 'orders', driver: 'postgres', url: { env: 'ORDERS_DB_URL' }, tables: ['public.orders'] },
        {
          name: 'ledger',
          driver: 'command',
          backup: ['./dump', '{{ artifact }}'],
          restore: ['./load'],
          artifact: 'l.sql',
        },
      ],
    };
    const result = checkPlan(plan);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.plan.backup.databases.map((d) => d.driver)).toEqual(['postgres', 'command']);
  });

  test('every problem of a plan is listed at once, not just the first', () => {
    const plan = valid();
    plan.services.v1.baseUrl = 'nope';
    plan.tests.command = [];
    plan.backup.paths = [];
    expect(
      problemsOf(plan)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['backup.paths', 'services.v1.baseUrl', 'tests.command']);
  });

  test('the JSON Schema describes the plan for editors', () => {
    const schema = planJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['services', 'backup', 'tests', 'approvals', 'monitoring', 'notifications']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'services', 'backup', 'tests']));
  });
});

test('a zero interval and a repeated decision label are refused', () => {
  const plan = parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
  plan.monitoring = {
    sentinelEvery: '0m',
    decisionPoints: [
      { at: '1h', label: 'Check', roles: ['engineering'], timeout: '1h', onTimeout: 'continue' },
      { at: '2h', label: 'Check', roles: ['engineering'], timeout: '1h', onTimeout: 'continue' },
    ],
  };
  const first = checkPlan(plan);
  expect(first.ok).toBe(false);
  if (!first.ok) expect(first.problems.map((p) => p.path)).toEqual(['monitoring.sentinelEvery']);
  plan.monitoring.sentinelEvery = '1m';
  const second = checkPlan(plan);
  if (second.ok) throw new Error('expected the repeated label to be refused');
  expect(second.problems).toEqual([
    {
      path: 'monitoring.decisionPoints.1.label',
      message: '"Check" is used twice: give each decision point its own label',
    },
  ]);
});
