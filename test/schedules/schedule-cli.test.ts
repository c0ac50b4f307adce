/**
 * `cutover schedule …` as an operator runs it (real processes against the dev server: the Java
 * test server has no Schedules), with a worker here running the validations it starts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import type { ValidationResult } from '../../workflows/validation';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { REPO } from '../helpers/demo-fixture';
import { cleanupDemos, runningDemo } from '../validation/validation-helpers';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;

beforeAll(() => (env = suite.env));
afterEach(cleanupDemos);

/** Async on purpose: a sync child would block the event loop the in-process worker needs. */
function cutover(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO, 'node_modules/.bin/tsx'),
      ['client/main.ts', ...args],
      {
        cwd: REPO,
        timeout: 60_000,
        env: { ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' },
      },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode ?? (err as { code?: number } | null)?.code ?? null, stdout, stderr }),
    );
  });
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const describeSchedule = (id: string) => env.client.schedule.getHandle(id).describe();

test(
  'a schedule created by the CLI runs validationWorkflow every 4h ' +
    'without overlap, and trigger, pause, resume and delete act on it',
  async () => {
    const f = await runningDemo();
    const planFile = path.join(f.workdir, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(f.plan));

    const created = await cutover('schedule', 'create', planFile, '--every', '4h');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const id = `validation-${f.plan.name}`;
    expect(created.stdout).toContain(`created schedule ${id}`);
    const d = await describeSchedule(id);
    expect(d.spec.intervals).toMatchObject([{ every: 4 * 3_600_000 }]);
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.action).toMatchObject({
      workflowType: 'validationWorkflow',
      taskQueue: 'cutover',
      args: [{ plan: planFile, target: 'v2' }],
    });
    expect(d.state).toMatchObject({
      paused: false,
      note: expect.stringMatching(/^validation of loans-v2 every 4h, created by /),
    });
    expect(d.memo).toMatchObject({ plan: planFile, target: 'v2' });

    // A second create with the same id is refused, not duplicated.
    expect(await cutover('schedule', 'create', planFile, '--every', '4h')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('already exists'),
    });

    expect(await cutover('schedule', 'trigger', id)).toMatchObject({ code: 0 });
    const triggered = await until(
      () => describeSchedule(id),
      (s: ScheduleDescription) => s.info.recentActions.length > 0,
    );
    const run = triggered.info.recentActions[0].action.workflow;
    expect(run.workflowId.startsWith(`${id}-`)).toBe(true);
    const result = (await env.client.workflow
      .getHandle(run.workflowId, run.firstExecutionRunId)
      .result()
      .catch(viewOrThrow)) as ValidationResult;
    // No baseline in the schedule and none in the plan: the KPI check can only WARN.
    expect(result.status).toBe('WARN');
    expect(fs.existsSync(result.reportPath)).toBe(true);
    const listedRuns = await until(
      async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({
          query: 'WorkflowType="validationWorkflow" AND ExecutionStatus="Completed"',
        }))
          ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.includes(run.workflowId),
    );
    expect(listedRuns).toContain(run.workflowId);

    // The list shows it once its visibility record is there, with the run's result.
    const listed = await until(
      () => cutover('schedule', 'list'),
      (r) => r.stdout.includes(id) && r.stdout.includes('WARN'),
    );
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+EVERY\s+PAUSED\s+NEXT RUN\s+LAST RESULT$/);
    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\s+4h\\s+no\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\s+WARN \\(${run.workflowId}\\)`),
    );

    expect(await cutover('schedule', 'pause', id, '--note', 'change freeze')).toMatchObject({ code: 0 });
    expect((await describeSchedule(id)).state).toMatchObject({ paused: true, note: 'change freeze' });
    const described = await cutover('schedule', 'describe', id);
    expect(described.stdout).toMatch(/every 4h; overlap SKIP; PAUSED — change freeze/);
    expect(described.stdout).toContain(`WARN (${run.workflowId})`);

    expect(await cutover('schedule', 'resume', id)).toMatchObject({ code: 0 });
    expect((await describeSchedule(id)).state.paused).toBe(false);

    expect(await cutover('schedule', 'delete', id)).toMatchObject({ code: 0 });
    await expect(describeSchedule(id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await cutover('schedule', 'pause', id)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`no schedule ${id}`),
    });
  },
);

test(
  'create refuses a malformed --every with exit 2, naming the ' + 'flag and an example, and creates nothing',
  async () => {
    const run = await cutover(
      'schedule',
      'create',
      path.join(REPO, 'demo/cutover-plan.yaml'),
      '--every',
      'four hours',
      '--id',
      'never-created',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--every .* e\.g\. --every 4h; got "four hours"/);
    await expect(describeSchedule('never-created')).rejects.toBeInstanceOf(ScheduleNotFoundError);
  },
);

test(
  'a schedule can be created paused, with its own id and target, ' + 'and is then listed as paused with no next run',
  async () => {
    const f = await runningDemo();
    const planFile = path.join(f.workdir, 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(f.plan));
    expect(
      await cutover('schedule', 'create', planFile, '--every', '30m', '--id', 'v1-check', '--target', 'v1', '--paused'),
    ).toMatchObject({ code: 0 });
    const d = await describeSchedule('v1-check');
    expect(d.state.paused).toBe(true);
    expect(d.spec.intervals).toMatchObject([{ every: 30 * 60_000 }]);
    expect(d.action).toMatchObject({ args: [{ plan: planFile, target: 'v1' }] });
    const listed = await until(
      () => cutover('schedule', 'list'),
      (r) => r.stdout.includes('v1-check'),
    );
    expect(listed.stdout).toMatch(/v1-check\s+30m\s+yes\s+-\s+-/);
    await env.client.schedule.getHandle('v1-check').delete();
  },
);
