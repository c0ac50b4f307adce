/**
 * Hostile ids and plan refs as the UI or the temporal CLI would send them, against a worker with
 * the production policy: plans only from its CUTOVER_PLAN_DIR folder, no inline plans.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUE } from '../../domain/names';
import type { CutoverView } from '../../domain/cutover-model';
import type { ValidationResult } from '../../workflows/validation';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { uniqueId } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const planDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-plandir-'));
const suite = devServerWithWorker({ planDirs: [planDir], allowInlinePlans: false });
let env: TestWorkflowEnvironment;
beforeAll(() => (env = suite.env));
afterAll(() => fs.rmSync(planDir, { recursive: true, force: true }));

// Services that are not running: every check FAILs fast, which is all a report needs.
const service = (v: string, port: number) => ({
  name: `svc-${v}`,
  driver: 'process',
  command: ['node', 'x.js'],
  runDir: 'run',
  baseUrl: `http://127.0.0.1:${port}`,
});
const plan = (name: string, workdir: string) => ({
  name,
  workdir,
  services: { v1: service('v1', 9), v2: service('v2', 10) },
  backup: { paths: ['data'], dir: 'backups' },
  tests: { command: ['true'] },
  approvals: { approvers: { engineering: ['a'], operations: ['b'], dataQuality: ['c'] } },
  validation: { latencyFailMs: 200 },
  reports: { dir: 'deep/reports' },
});
function planFile(name: string): { file: string; workdir: string } {
  const workdir = fs.mkdtempSync(path.join(planDir, `${name}-`));
  const file = path.join(workdir, 'plan.yaml');
  fs.writeFileSync(file, stringify(plan(name, workdir)));
  return { file, workdir };
}
const allFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));

async function cutover(input: Record<string, unknown>): Promise<CutoverView> {
  const handle = await env.client.workflow.start('cutoverWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: uniqueId('confine'),
    args: [{ startedBy: 'mallory', monitor: false, ...input }],
  });
  return (await handle.result().catch(viewOrThrow)) as CutoverView;
}

test(
  'a validation started with the id "../../x-evil" writes its ' + 'report inside reports.dir and nowhere else',
  async () => {
    const { file, workdir } = planFile('evil-id');
    const outsideBefore = allFiles(planDir).filter((f) => !f.startsWith(workdir));
    const handle = await env.client.workflow.start('validationWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: '../../x-evil',
      args: [{ plan: file }],
    });
    const result = (await handle.result().catch(viewOrThrow)) as ValidationResult;
    expect(result.status).toBe('FAIL');
    expect(result.reportPath).toBe(path.join(workdir, 'deep/reports/x-evil.json'));
    const written = allFiles(workdir).filter((f) => f !== file);
    expect(written.filter((f) => !f.startsWith(path.join(workdir, 'deep/reports')) && !f.endsWith('.log'))).toEqual([]);
    expect(allFiles(planDir).filter((f) => !f.startsWith(workdir))).toEqual(outsideBefore);
    expect(fs.existsSync(path.join(workdir, 'x-evil.json')) || fs.existsSync(path.join(planDir, 'x-evil.json'))).toBe(
      false,
    );
  },
);

test('a plan path outside CUTOVER_PLAN_DIR ends the cutover ABORTED, naming the allowed folder', async () => {
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-elsewhere-'));
  const file = path.join(elsewhere, 'plan.yaml');
  fs.writeFileSync(file, stringify(plan('elsewhere', elsewhere)));
  const view = await cutover({ plan: file });
  expect(view.status).toBe('ABORTED');
  expect(view.message).toContain(
    `nothing changed: plan path "${file}" is outside the folders ` +
      `this worker reads plans from (CUTOVER_PLAN_DIR): ${planDir}`,
  );
  fs.rmSync(elsewhere, { recursive: true, force: true });
});

test('{"plan": "../../etc/passwd"} is refused and nothing of the file is echoed', async () => {
  const view = await cutover({ plan: '../../etc/passwd' });
  expect(view.status).toBe('ABORTED');
  expect(view.message).toContain('"../../etc/passwd" is outside the folders this worker reads plans from');
  expect(view.message).not.toMatch(/root:|\/bin\/(ba)?sh|nologin/);
});

test('an inline plan is refused on a worker without CUTOVER_ALLOW_INLINE_PLANS, before anything runs', async () => {
  const workdir = fs.mkdtempSync(path.join(planDir, 'inline-'));
  const view = await cutover({
    plan: { ...plan('inline', workdir), tests: { command: ['touch', path.join(workdir, 'pwned')] } },
    autoApprove: true,
  });
  expect(view.status).toBe('ABORTED');
  expect(view.message).toContain('nothing changed: plan: inline plans in workflow input are off on this worker');
  expect(fs.existsSync(path.join(workdir, 'pwned'))).toBe(false);
});

test('autoApprove is refused unless the plan sets approvals.allowAutoApprove', async () => {
  const { file } = planFile('no-auto');
  const view = await cutover({ plan: file, autoApprove: true });
  expect(view.status).toBe('ABORTED');
  expect(view.message).toContain(
    'nothing changed: autoApprove: plan "no-auto" does not allow ' + 'skipping the GO/NO-GO gate',
  );
  expect(view.phases.every((p) => p.state === 'pending')).toBe(true);
});

test('a monitoring or rollback started by hand refuses a plan object in its input: nothing of it is used', async () => {
  const workdir = fs.mkdtempSync(path.join(planDir, 'smuggled-'));
  const smuggled = {
    plan: { ...plan('smuggled', workdir), approvals: { approvers: {} } },
    workdir: '/',
    source: '(inline)',
  };
  const outcome = async (type: string, args: Record<string, unknown>) => {
    const handle = await env.client.workflow.start(type, {
      taskQueue: TASK_QUEUE,
      workflowId: uniqueId(type),
      args: [args],
    });
    // however the workflow reports a refused plan (a failure or an ended view), it names the policy
    return handle
      .result()
      .catch(viewOrThrow)
      .then(
        (view: { message?: string }) => view.message ?? '',
        (err: unknown) => {
          const messages: string[] = [];
          for (let e = err as (Error & { cause?: unknown }) | undefined; e; e = e.cause as typeof e)
            messages.push(e.message);
          return messages.join(' ← ');
        },
      );
  };
  // Refused at the door (the trust rule of the input schemas), before any plan is read.
  const monitoring = await outcome('monitoringWorkflow', {
    cutoverId: 'c1',
    plan: '../../etc/passwd',
    loaded: smuggled,
  });
  expect(monitoring).toContain(
    'refused, nothing checked or changed: input.loaded: accepted ' +
      "only from the cutover's own workflows (this run has no parent)",
  );
  const rollback = await outcome('rollbackWorkflow', { plan: '../../etc/passwd', reason: 'r', loaded: smuggled });
  expect(rollback).toContain(
    'nothing touched: input.loaded: accepted only from the ' + "cutover's own workflows (this run has no parent)",
  );
  for (const message of [monitoring, rollback]) expect(message).not.toMatch(/root:|smuggled/);
  // The plan path alone is still loaded under the policy.
  expect(await outcome('rollbackWorkflow', { plan: '../../etc/passwd', reason: 'r' })).toContain(
    'outside the folders this worker reads plans from',
  );
});

test(
  'a rollback started by hand never restores an archive path from ' +
    "its input: it looks only at the plan's own backups",
  async () => {
    const { file, workdir } = planFile('manual-path');
    const backup = { archive: '/etc/passwd', sha256: 'a'.repeat(64), bytes: 1, createdAt: '2026-01-01T00:00:00.000Z' };
    const run = async (args: Record<string, unknown>) =>
      (await (
        await env.client.workflow.start('rollbackWorkflow', {
          taskQueue: TASK_QUEUE,
          workflowId: uniqueId('manual-path'),
          args: [args],
        })
      )
        .result()
        .catch(viewOrThrow)) as {
        status: string;
        message: string;
        steps: Array<{ name: string; state: string }>;
      };
    const smuggled = await run({ plan: file, reason: 'r', backup });
    expect(smuggled.status).toBe('FAILED');
    expect(smuggled.message).toContain("nothing touched: input.backup: accepted only from the cutover's own workflows");
    expect(smuggled.steps).toEqual([]);
    // Without one, it looks in the plan's backup folder, and finds nothing there.
    const view = await run({ plan: file, reason: 'r' });
    expect(view.status).toBe('FAILED');
    expect(view.message).toContain(
      `rollback refused, nothing touched: no backup of plan ` + `"manual-path" in ${path.join(workdir, 'backups')}`,
    );
    expect(view.message).not.toContain('/etc/passwd');
    expect(view.steps.map((s) => `${s.name}: ${s.state}`)).toEqual(['verify backup: failed']);
  },
);
