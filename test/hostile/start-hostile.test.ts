/**
 * Workflows started by the real `temporal` CLI with no input, {}, wrong types, unknown fields and
 * fields only our own workflows may pass: each ends at once with a clear result (never a stuck
 * workflow task), still answers `status`, and touches nothing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import type { RollbackView } from '../../domain/rollback-model';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { uniqueId } from '../helpers/cutover-runner';
import { cli, HUGE, taskFailures, type RawInput } from './temporal-cli';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let c: ReturnType<typeof cli>;

beforeAll(async () => {
  env = suite.env;
  c = cli(env.address);
});

async function run(type: string, raw: RawInput) {
  const id = uniqueId(`hostile-${type}`);
  const started = await c.start(id, type, raw);
  expect(started.code).toBe(0);
  const result = await env.client.workflow
    .getHandle(id)
    .result()
    .catch(viewOrThrow)
    .catch((err: unknown) => err);
  expect(await taskFailures(c, id)).toEqual([]);
  return { id, result };
}

const sha = 'a'.repeat(64);
test.each<[string, RawInput, RegExp]>([
  ['no input', undefined, /^nothing changed: input: required — start it with an object/],
  ['{}', '{}', /^nothing changed: input\.plan: required — give a plan path/],
  ['a string', '"demo/cutover-plan.yaml"', /^nothing changed: input: must be an object/],
  [
    'wrong types',
    '{"plan": 5, "autoApprove": "yes", "holdBefore": "phase3"}',
    /input\.plan: use a plan path.*input\.autoApprove: .*boolean.*input\.holdBefore: .*array/,
  ],
  [
    'an unknown field',
    '{"plan": "demo/cutover-plan.yaml", "autoAprove": true}',
    /input: unknown field\(s\) "autoAprove": remove them/,
  ],
  [
    'a phase that does not exist',
    '{"plan": "demo/cutover-plan.yaml", "holdBefore": ["phase9"]}',
    /input\.holdBefore\.0: use one of phase0, gate/,
  ],
  [
    'a 100 kB name',
    JSON.stringify({ plan: 'demo/cutover-plan.yaml', startedBy: HUGE }),
    /input\.startedBy: keep it under 100 characters/,
  ],
  // An inline plan whose name cannot even be turned into a string: the plan loader refuses it, the workflow does not
  // throw.
  ['an inline plan named {"toString": …}', '{"plan": {"name": {"toString": "x", "valueOf": 1}}}', /^nothing changed: /],
])('cutoverWorkflow started with %s ends ABORTED at once, nothing changed', async (_label, raw, message) => {
  const { id, result } = await run('cutoverWorkflow', raw);
  expect((result as CutoverView).status).toBe('ABORTED');
  expect((result as CutoverView).message).toMatch(message);
  expect((await c.status<CutoverView>(id)).status).toBe('ABORTED');
});

test.each<[string, RawInput, RegExp]>([
  ['no input', undefined, /^nothing touched: input: required/],
  ['{}', '{}', /^nothing touched: input\.plan: required/],
  ['a wrong compensation', '{"plan": "p.yaml", "compensations": ["rm -rf"]}', /input\.compensations\.0:/],
  [
    'a backup of its own',
    JSON.stringify({
      plan: 'p.yaml',
      reason: 'r',
      backup: { archive: '/etc/passwd', sha256: sha, bytes: 1, createdAt: 'now' },
    }),
    /input\.backup: accepted only from the cutover's own workflows \(this run has no parent\)/,
  ],
  [
    'a loaded plan and an undo list',
    JSON.stringify({ plan: 'p.yaml', reason: 'r', loaded: { plan: {} }, compensations: ['startV1'] }),
    /input\.loaded, input\.compensations: accepted only/,
  ],
])('rollbackWorkflow started with %s ends FAILED, nothing touched', async (_label, raw, message) => {
  const { id, result } = await run('rollbackWorkflow', raw);
  expect((result as RollbackView).status).toBe('FAILED');
  expect((result as RollbackView).message).toMatch(message);
  expect(await c.status<RollbackView>(id)).toMatchObject({
    status: 'FAILED',
    message: (result as RollbackView).message,
  });
  expect((result as RollbackView).steps).toEqual([]);
});

test.each<[string, RawInput, RegExp]>([
  ['no input', undefined, /input: required/],
  ['{}', '{}', /input\.plan: required.*input\.cutoverId: required/],
  [
    'carried state and a loaded plan',
    JSON.stringify({ plan: 'p.yaml', cutoverId: 'c1', state: { rows: [] }, loaded: { plan: {} } }),
    /input\.loaded, input\.state: accepted only/,
  ],
])('monitoringWorkflow started with %s ends FAILED at once', async (_label, raw, message) => {
  const { id, result } = await run('monitoringWorkflow', raw);
  expect((result as MonitoringView).status).toBe('FAILED');
  expect((result as MonitoringView).message).toMatch(message);
  expect((await c.status<MonitoringView>(id)).status).toBe('FAILED');
});

test.each<[string, RawInput]>([
  ['no input', undefined],
  ['wrong types', '{"plan": 5, "target": "v3"}'],
])('validationWorkflow started with %s fails visibly with a non-retryable ValidationNotRun', async (_label, raw) => {
  const { id, result } = await run('validationWorkflow', raw);
  expect(result).toMatchObject({
    status: 'FAILED',
    summary: expect.stringMatching(/^invalid input, nothing validated: input/),
  });
  const failed = await env.client.workflow
    .getHandle(id)
    .result()
    .catch((err: unknown) => err);
  expect(failed).toBeInstanceOf(WorkflowFailedError);
  const cause = (failed as WorkflowFailedError).cause as any;
  expect(cause).toMatchObject({ type: 'ValidationNotRun', nonRetryable: true });
  expect(cause.message).toMatch(/^FAILED: invalid input, nothing validated: input/);
  const described = await env.client.workflow.getHandle(id).describe();
  expect(described.searchAttributes.CutoverStatus).toEqual(['FAILED']);
});
