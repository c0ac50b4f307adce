/** The worker's plan policy (loadPlan) and the workdir confinement of data paths, on real files. */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { createPlanActivities } from '../../activities/plan-loader';
import { insideWorkdir } from '../../activities/plan-paths';
import { ProcessDriver } from '../../activities/services/process-driver';
import { notify } from '../../activities/notify';
import { checkPlan } from '../../domain/plan-check';
import { safeSlug, unsafeIdReason } from '../../domain/names';
import { FailureType } from '../../activities/failure-types';
import { failureOf, tempDir } from './helpers';

const service = (version: string, port: number) => ({
  name: `svc-${version}`,
  driver: 'process',
  command: ['node', 'x.js'],
  runDir: 'run',
  baseUrl: `http://127.0.0.1:${port}`,
});
const plan = (extra: Record<string, unknown> = {}) => ({
  name: 'policy',
  services: { v1: service('v1', 1), v2: service('v2', 2) },
  backup: { paths: ['data'], dir: 'backups' },
  tests: { command: ['true'] },
  approvals: { approvers: { engineering: ['alice'], operations: ['bob'], dataQuality: ['carol'] } },
  ...extra,
});

let a: string;
let b: string;
let outside: string;
beforeEach(() => {
  [a, b, outside] = [tempDir('plans-a'), tempDir('plans-b'), tempDir('outside')];
  fs.writeFileSync(path.join(a, 'one.yaml'), stringify(plan()));
  fs.mkdirSync(path.join(b, 'sub'));
  fs.writeFileSync(path.join(b, 'sub/two.yaml'), stringify(plan({ name: 'two' })));
  fs.writeFileSync(path.join(outside, 'secret.yaml'), 'root:x:0:0:TOPSECRET:/root:/bin/bash\n');
});
const activities = (allowInlinePlans = false) => createPlanActivities({ planDirs: [a, b], allowInlinePlans });

test('plan files are read from any of the plan folders, by absolute path or relative to each', async () => {
  expect((await activities().loadPlan(path.join(a, 'one.yaml'))).plan.name).toBe('policy');
  expect((await activities().loadPlan('sub/two.yaml')).plan.name).toBe('two');
  expect((await activities().loadPlan('sub/two.yaml')).workdir).toBe(path.join(b, 'sub'));
});

test.each([
  ['an absolute path elsewhere', () => path.join(outside, 'secret.yaml')],
  ['a relative path climbing out', () => path.relative(a, path.join(outside, 'secret.yaml'))],
  ['/etc/passwd', () => '/etc/passwd'],
  ['../../etc/passwd', () => '../../etc/passwd'],
])('%s is refused naming the allowed folders, and nothing of the file is echoed', async (_what, ref) => {
  const failure = await failureOf(activities().loadPlan(ref()));
  expect(failure.type).toBe(FailureType.InvalidPlan);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain(`outside the folders this worker reads plans from (CUTOVER_PLAN_DIR): ${a}, ${b}`);
  expect(failure.message).not.toMatch(/TOPSECRET|root:x|bin\/bash/);
});

test('a symlink inside a plan folder that points outside it is refused too', async () => {
  fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(a, 'link.yaml'));
  const failure = await failureOf(activities().loadPlan('link.yaml'));
  expect(failure.message).toContain('outside the folders this worker reads plans from');
  expect(failure.message).not.toContain('TOPSECRET');
});

test('inline plans are refused unless the worker allows them', async () => {
  const refused = await failureOf(activities(false).loadPlan(plan({ workdir: a })));
  expect(refused.message).toContain('inline plans in workflow input are off on this worker');
  expect(refused.message).toContain('CUTOVER_ALLOW_INLINE_PLANS=1');
  expect((await activities(true).loadPlan(plan({ workdir: a }))).workdir).toBe(a);
});

test('autoApprove is refused unless the plan sets approvals.allowAutoApprove', async () => {
  const refused = await failureOf(activities().loadPlan('one.yaml', { autoApprove: true }));
  expect(refused.nonRetryable).toBe(true);
  expect(refused.message).toContain('autoApprove: plan "policy" does not allow skipping the GO/NO-GO gate');
  expect(refused.message).toContain('approvals.allowAutoApprove: true');
  fs.writeFileSync(
    path.join(a, 'rehearsal.yaml'),
    stringify(plan({ approvals: { ...plan().approvals, allowAutoApprove: true } })),
  );
  expect((await activities().loadPlan('rehearsal.yaml', { autoApprove: true })).plan.approvals.allowAutoApprove).toBe(
    true,
  );
  expect(
    checkPlan(plan()).ok &&
      (checkPlan(plan()) as { plan: { approvals: { allowAutoApprove: boolean } } }).plan.approvals.allowAutoApprove,
  ).toBe(false);
});

test('data paths outside the workdir are refused at load, each with its field', async () => {
  const bad = plan({
    workdir: a,
    reports: { dir: outside },
    notifications: { file: '../elsewhere/notes.log' },
    traffic: { pointerFile: '/etc/nginx/upstream.json' },
    services: { v1: { ...service('v1', 1), runDir: '/var/run' }, v2: service('v2', 2) },
  });
  const failure = await failureOf(activities(true).loadPlan(bad));
  for (const field of ['reports.dir', 'notifications.file', 'traffic.pointerFile', 'services.v1.runDir'])
    expect(failure.message).toContain(`- ${field}:`);
  // where commands run is the plan author's choice: not confined
  expect(
    (await activities(true).loadPlan(plan({ workdir: a, tests: { command: ['true'], cwd: outside } }))).plan.tests.cwd,
  ).toBe(outside);
});

test('the static plan check reports ".." escapes and absolute paths outside an absolute workdir', () => {
  const result = checkPlan(
    plan({
      workdir: '/srv/cutover',
      backup: { paths: ['data', '../etc'], dir: '/srv/cutover/backups' },
      reports: { dir: '/tmp/reports' },
    }),
  );
  expect(result.ok).toBe(false);
  const problems = result.ok ? [] : result.problems;
  expect(problems).toEqual([
    {
      path: 'backup.paths.1',
      message: '"../etc" climbs out of the plan\'s workdir with "..": use a ' + 'path inside workdir',
    },
    {
      path: 'reports.dir',
      message: '"/tmp/reports" is outside the plan\'s workdir (/srv/cutover): ' + 'use a path relative to workdir',
    },
  ]);
});

test('insideWorkdir refuses a path that leaves through a symlink, naming the field and the fix', async () => {
  const workdir = tempDir('workdir');
  fs.symlinkSync(outside, path.join(workdir, 'reports'));
  const loaded = { plan: { name: 'policy' }, workdir, source: '(test)' } as never;
  const failure = await failureOf(() => insideWorkdir(loaded, 'reports/x.json', 'reports.dir'));
  expect(failure.message).toMatch(
    /^reports\.dir: .* leads outside the plan's workdir .* through a symlink: change reports\.dir in plan "policy"/,
  );
  expect(insideWorkdir(loaded, 'in/side.json', 'reports.dir')).toBe(path.join(workdir, 'in/side.json'));
});

test('workflow ids become safe file names; ids with separators or ".." are refused on the command line', () => {
  expect(safeSlug('cutover-loans-20260101-120000Z')).toBe('cutover-loans-20260101-120000Z');
  expect(safeSlug('../../x-evil')).toBe('x-evil');
  expect(safeSlug('a/b\\c')).toBe('a-b-c');
  expect(safeSlug('..')).toBe('unnamed');
  expect(safeSlug('validation-x-2026-01-01T00:00:00Z')).toBe('validation-x-2026-01-01T00-00-00Z');
  expect(unsafeIdReason('../x')).toBe('it contains a path separator ("/" or "\\")');
  expect(unsafeIdReason('x..y')).toBe('it contains ".."');
  expect(unsafeIdReason('cutover-loans-2')).toBeUndefined();
});

test(
  'the process driver and the notifier refuse a runDir or ' +
    'notifications file outside the workdir, even from a plan that ' +
    'skipped the loader',
  async () => {
    const workdir = tempDir('driver');
    const spec = {
      ...service('v1', 1),
      runDir: '../run',
      env: {},
      healthPath: '/health',
      startTimeout: '5s',
      stopGrace: '1s',
    };
    const driverFailure = await failureOf(() => new ProcessDriver(spec as never, { cwd: workdir }));
    expect(driverFailure.type).toBe(FailureType.InvalidServiceConfig);
    expect(driverFailure.message).toMatch(
      /^runDir of service svc-v1: .* is outside the plan's workdir .*: set services.<role>.runDir to a folder inside/,
    );
    const loaded = {
      plan: { name: 'policy', notifications: { file: '../notes.log' } },
      workdir,
      source: '(smuggled)',
    } as never;
    const notifyFailure = await failureOf(notify(loaded, { key: 'k', text: 't', severity: 'info' }));
    expect(notifyFailure.message).toMatch(/^notifications\.file: .* is outside the plan's workdir/);
    expect(fs.existsSync(path.join(path.dirname(workdir), 'notes.log'))).toBe(false);
  },
);
