/**
 * The whole evidence where people look, on the dev server: a team script's printed reason for a
 * Phase 5 FAIL reaches `cutover status`, `--json`, the notification, the UI details (the
 * workflow's metadata query, as the UI reads it) and the Phase 5 report file, bounded; `cutover
 * watch` says it once; and `cutover status` reads every workflow a cutover starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { TASK_QUEUE } from '../../domain/names';
import { viewOrThrow } from '../../domain/outcome';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { demoFixturePerTest } from '../helpers/demo-fixture';
import { startCutover, uniqueId } from '../helpers/cutover-runner';
import { cutoverAt } from '../helpers/cutover-cli';
import { startMonitoring } from '../helpers/after-cutover';
import { waitFor } from '../helpers/wait-for';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
beforeAll(() => (env = suite.env));

const REASON = 'totalAmount 233550.0 != sum of regions 259500.0';
const count = (text: string, part: string) => text.split(part).length - 1;
/** The script's own words, a tail of a long stderr and its exit code: what the message may hold, not more. */
const BOUND = 2_000;

/** The team's script, in a file as teams keep it: its argv does not hold the words it prints. */
const TOTALS_JS = [
  "console.log('checking totals');",
  "console.log(['totalAmount', (233550).toFixed(1), '!=', 'sum of regions', (259500).toFixed(1)].join(' '));",
  "console.error('x'.repeat(20000));",
  'process.exit(1);',
].join('\n');

function addTotalsScript(plan: Record<string, any>) {
  const script = path.join(plan.workdir, 'check-totals.js');
  fs.writeFileSync(script, TOTALS_JS);
  plan.checks = [
    'default',
    { name: 'totals_script', report: 'kpi_calculations', at: ['phase5'], command: { argv: ['node', script] } },
  ];
}

test('a script that fails Phase 5 is heard in status, --json, the notification, the UI details, the report file and watch', async () => {
  const f = await fixtures.withV1Running({ mutate: addTotalsScript });
  const handle = await startCutover(env.client, f.plan, { autoApprove: true });
  const watching = cutoverAt(env.address, ['watch', handle.workflowId]);
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('ROLLED_BACK');
  const phase5 = view.phases.find((p) => p.id === 'phase5')!;
  expect(phase5.state).toBe('failed');
  expect(phase5.message).toContain(REASON);
  expect(phase5.message).toMatch(/totals_script: exited 1, not an accepted exit code/);
  expect(phase5.message!.length).toBeLessThan(BOUND);

  const status = await cutoverAt(env.address, ['status', handle.workflowId]);
  expect(status.code).toBe(0);
  expect(count(status.stdout, REASON)).toBe(1);
  // the run ended failed (its view as the failure's details): said without history's placeholder text
  expect(status.stdout).toMatch(/\(the workflow FAILED at [^)]*\(last state: ROLLED_BACK/);
  expect(status.stdout).not.toContain('Encoded failure');
  expect(status.stdout).toMatch(/stderr: "…x+"/);
  expect(status.stdout.length).toBeLessThan(BOUND + 4_000);

  const json = await cutoverAt(env.address, ['status', handle.workflowId, '--json']);
  const shown = JSON.parse(json.stdout) as CutoverView;
  expect(shown.phases.find((p) => p.id === 'phase5')!.message).toContain(REASON);
  expect(json.stdout.length).toBeLessThan(64_000);

  const notes = fs
    .readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string });
  const told = notes.filter((n) => n.text.includes(REASON));
  expect(told.length).toBeGreaterThan(0);
  for (const n of told) expect(n.text.length).toBeLessThan(BOUND + 1_000);

  const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
  expect(count(currentDetails, REASON)).toBeGreaterThan(0);
  expect(currentDetails).toMatch(/Phase 5: Post-cutover validation .*totals_script: exited 1/);

  const reportFile = path.join(f.workdir, 'reports', `${handle.workflowId}-phase5.json`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  expect(report.status).toBe('FAIL');
  expect(JSON.stringify(report)).toContain(REASON);
  expect(fs.statSync(reportFile).size).toBeLessThan(64_000);
  expect(fs.readFileSync(reportFile.replace(/\.json$/, '.md'), 'utf8')).toMatch(
    new RegExp(
      `\\| totals_script \\| kpi_calculations \\| \\*\\*FAIL\\*\\* \\| okExitCodes \\| exit code 1 \\| .*${REASON.replace(/\./g, '\\.')}`,
    ),
  );

  // watch, run while it happened: the failure is said once, ROLLING_BACK and STATUS refer to its line
  const watched = await watching;
  expect(watched.code).toBe(4);
  expect(count(watched.stdout, REASON)).toBe(1);
  expect(watched.stdout).toMatch(/ROLLING_BACK: .*Phase 5: Post-cutover validation failed \(see its line\)/);
  expect(watched.stdout).toMatch(/Phase 5: Post-cutover validation failed \(see its line\)[^\n]*\n?$/);

  // every workflow the cutover started reads with `cutover status`
  const rollback = await cutoverAt(env.address, ['status', `${handle.workflowId}-rollback`]);
  expect(rollback.stderr).not.toMatch(/not iterable/);
  expect(rollback.code).toBe(0);
  expect(rollback.stdout).toMatch(new RegExp(`^${handle.workflowId}-rollback {2}rollback: `));
  expect(rollback.stdout).toMatch(/STATUS: ROLLED_BACK/);
  const lockId = `cutover-lock:plan:${f.plan.name}`;
  const lock = await cutoverAt(env.address, ['status', lockId]);
  expect(lock.stderr).toBe('');
  expect(lock.stdout).toMatch(new RegExp(`^${lockId} {2}lock, released \\(was held by ${handle.workflowId}\\)`));
}, 300_000);

test('cutover status reads a validation and a monitoring by their ids', async () => {
  const f = await fixtures.withV1Running();
  const validation = await env.client.workflow.start('validationWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: uniqueId('validation-status'),
    args: [{ plan: f.plan, target: 'v1' }],
  });
  await validation.result();
  const read = await cutoverAt(env.address, ['status', validation.workflowId]);
  expect(read.stderr).toBe('');
  expect(read.stdout).toMatch(new RegExp(`^${validation.workflowId} {2}validation\\n(.*\\n)*STATUS: (PASS|WARN) — `));

  const monitoring = await startMonitoring(env.client, f, 'cutover-status');
  const watched = await waitFor('the monitoring to answer cutover status', async () => {
    const r = await cutoverAt(env.address, ['status', monitoring.workflowId]);
    return r.code === 0 && /STATUS: MONITORING/.test(r.stdout) ? r : undefined;
  });
  expect(watched.stderr).not.toMatch(/not iterable/);
  await monitoring.cancel();
  await monitoring.result().catch(() => undefined);
}, 300_000);
