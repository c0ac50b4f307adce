/**
 * scripts/worker.sh tells the truth: "worker polling" only from the process it started (its pid,
 * in the log written after it started), and a worker that exits is reported with its own error.
 * Runs the real script in a scratch root whose entries link to this repo (its own .data/).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stringify } from 'yaml';
import { REPO } from '../helpers/demo-fixture';
import { runCutover } from '../helpers/cutover-cli';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { startDevServer } from '../helpers/temporal-env';
import { startService } from '../../activities/service-control';
import { loadInlinePlan } from '../../activities/plan-loader';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-sh-'));
  for (const name of fs.readdirSync(REPO).filter((n) => !['scripts', '.data', '.git'].includes(n)))
    fs.symlinkSync(path.join(REPO, name), path.join(root, name));
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync(path.join(REPO, 'scripts/worker.sh'), path.join(root, 'scripts/worker.sh'));
  fs.mkdirSync(path.join(root, '.data'));
  // A previous run's success line: it must not be taken for this start's.
  fs.writeFileSync(path.join(root, '.data/worker.log'), '{"level":30,"msg":"worker polling","pid":1}\n');
});
afterEach(() => {
  spawnSync('bash', [path.join(root, 'scripts/worker.sh'), 'stop']);
  fs.rmSync(root, { recursive: true, force: true });
});

const runWith = (env: Record<string, string>, ...args: string[]) =>
  spawnSync('bash', [path.join(root, 'scripts/worker.sh'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
const run = (address: string, ...args: string[]) => runWith({ TEMPORAL_ADDRESS: address }, ...args);

test('a worker that cannot connect is reported with its error, never as polling from an old log line', () => {
  const r = run('127.0.0.1:1');
  expect(r.status).toBe(1);
  expect(r.stdout).not.toContain('polling');
  expect(r.stderr).toMatch(/worker \(pid \d+\) exited before polling; its output:/);
  expect(r.stderr).toContain('Connection refused');
}, 90_000);

test('a worker that connects is reported polling with its own pid', async () => {
  let env: TestWorkflowEnvironment | undefined;
  try {
    env = await startDevServer();
    const r = run(env.address);
    expect(r.stderr).toBe('');
    const pid = Number(/worker polling task queue cutover \(pid (\d+),/.exec(r.stdout)?.[1]);
    expect(pid).toBe(Number(fs.readFileSync(path.join(root, '.data/worker.pid'), 'utf8')));
    expect(fs.readFileSync(path.join(root, '.data/worker.log'), 'utf8')).toMatch(
      new RegExp(`"worker polling".*"pid":${pid}[,}]|"pid":${pid},.*"worker polling"`),
    );
    expect(run(env.address, 'stop').stdout).toContain('worker stopped');
  } finally {
    await env?.teardown();
  }
}, 200_000);

test("the worker reads plans from the user's CUTOVER_PLAN_DIR: a plan in that folder runs", async () => {
  let env: TestWorkflowEnvironment | undefined;
  let fixture: OrdersFixture | undefined;
  try {
    env = await startDevServer();
    fixture = await createOrdersFixture({ name: 'orders-worker-sh' });
    const plan = fixture.plan([
      { name: 'health', at: ['shadow'], http: { path: '/health', extract: 'status' }, pass: 'result.value == "ok"' },
    ]);
    const file = path.join(fixture.workdir, 'cutover-plan.yaml');
    fs.writeFileSync(file, stringify(plan));
    await startService(loadInlinePlan(plan, fixture.workdir), 'v1');
    // a folder outside the checkout, as a user's own service is
    expect(path.relative(REPO, fixture.workdir).startsWith('..')).toBe(true);
    const r = runWith({
      TEMPORAL_ADDRESS: env.address,
      CUTOVER_PLAN_DIR: fixture.workdir,
      CUTOVER_ALLOW_INLINE_PLANS: '0',
    });
    expect(r.stdout).toMatch(/worker polling task queue cutover \(pid \d+,/);
    const started = runCutover(['start', file, '--dry-run', '--no-monitor', '--watch'], {
      TEMPORAL_ADDRESS: env.address,
      CUTOVER_UI_URL: '',
    });
    expect({ code: started.code, out: started.out }).toEqual({
      code: 0,
      out: expect.stringContaining('dry run: phases 0 and 2 passed'),
    });
  } finally {
    await fixture?.cleanup();
    await env?.teardown();
  }
}, 240_000);
