/**
 * A real demo target per test: a dataset in a temp folder, two free ports, and an inline plan
 * whose process driver runs the demo pipeline's V1 and V2 as child processes.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { writeDataset } from '../../demo/pipeline/dataset-writer';
import { loadInlinePlan } from '../../activities/plan-loader';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { startService } from '../../activities/service-control';
import { killPidFiles } from './pid-files';

export const REPO = path.resolve(__dirname, '../..');
const SERVICE = path.join(REPO, 'demo/service/main.ts');

/** Ports handed out in this process: a port is free when asked for but bound only later. */
const handedOut = new Set<number>();

/**
 * A loopback port nothing listens on, never one this process was given before: fixtures take
 * theirs up front and start the services later, and the OS may offer a port again meanwhile (two
 * fixtures' V2 on one port once showed as "another cutover of a service at 127.0.0.1:… is running").
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

export interface DemoFixture {
  workdir: string;
  plan: Record<string, any>;
  loaded: () => LoadedPlan;
  urls: { v1: string; v2: string };
  cleanup: () => Promise<void>;
}

export interface FixtureOptions {
  rows?: number;
  v1Env?: Record<string, string>;
  v2Env?: Record<string, string>;
  mutate?: (plan: Record<string, any>) => void;
  /** the test gate's suite (default smoke) */
  testSuite?: keyof typeof DEMO_TESTS;
}

/**
 * The demo pipeline's own tests as a cutover's test gate, real either way: `quick` is what the
 * demo cutover runs (demo/run-tests.sh --quick, ~10 s here, kept for the benches and for tests
 * that need the gate to last), `smoke` two of its small files (~2 s) for the many cutovers the
 * suite runs, so CI time goes to what each test is about.
 */
export const DEMO_TESTS = {
  quick: ['bash', path.join(REPO, 'demo/run-tests.sh'), '--quick'],
  smoke: [
    path.join(REPO, 'node_modules/.bin/jest'),
    '--ci',
    '--rootDir',
    REPO,
    'demo/test/kpi-definitions.test.ts',
    'demo/test/row-faults-and-integrity.test.ts',
  ],
};

let fixtureSeq = 0;

export async function createDemoFixture(opts: FixtureOptions = {}): Promise<DemoFixture> {
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-demo-'));
  writeDataset(path.join(workdir, 'data'), { rows: opts.rows ?? 5_000, seed: 11, csv: 'always' });
  const [p1, p2] = [await freePort(), await freePort()];
  const urls = { v1: `http://127.0.0.1:${p1}`, v2: `http://127.0.0.1:${p2}` };
  const service = (version: 'v1' | 'v2', port: number, env: Record<string, string> = {}) => ({
    name: `loans-${version}`,
    driver: 'process',
    // One process (no tsx wrapper in between), so the driver's signals reach the service itself.
    command: [
      'node',
      '--import',
      'tsx',
      SERVICE,
      '--version',
      version,
      '--port',
      String(port),
      '--data',
      path.join(workdir, 'data'),
    ],
    cwd: REPO,
    env,
    runDir: path.join(workdir, 'run'),
    baseUrl: urls[version],
    stopGrace: '5s',
    startTimeout: '30s',
  });
  const plan: Record<string, any> = {
    // Its own plan name: one cutover per plan at a time, and a file's fixtures run side by side.
    name: `loans-test-${++fixtureSeq}`,
    workdir,
    services: { v1: service('v1', p1, opts.v1Env), v2: { ...service('v2', p2, opts.v2Env), artifact: SERVICE } },
    backup: { paths: ['data'], dir: 'backups' },
    traffic: { pointerFile: 'active-upstream.json' },
    tests: { command: DEMO_TESTS[opts.testSuite ?? 'smoke'], cwd: REPO, timeout: '3m' },
    approvals: {
      allowAutoApprove: true,
      approvers: { engineering: ['alice'], operations: ['bob', 'starter'], dataQuality: ['carol'] },
    },
    notifications: { file: 'notifications.log' },
    reports: { dir: 'reports' },
  };
  opts.mutate?.(plan);
  const loaded = () => loadInlinePlan(plan, workdir);
  return {
    workdir,
    plan,
    loaded,
    urls,
    /** Kills whatever the pid files name, whichever driver the plan ended up with. */
    async cleanup() {
      killPidFiles(path.join(workdir, 'run'));
      fs.rmSync(workdir, { recursive: true, force: true });
    },
  };
}

/**
 * A fixture per test, each cleaned up after its test (its services killed, its folder removed),
 * so a test file says only what its fixture is and what state it starts from.
 */
export function demoFixturePerTest() {
  let current: DemoFixture | undefined;
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  const create = async (opts: FixtureOptions = {}) => (current = await createDemoFixture(opts));
  return {
    create,
    /** The state every cutover starts from: V1 serving, V2 not started. */
    async withV1Running(opts: FixtureOptions = {}) {
      const fixture = await create(opts);
      await startService(fixture.loaded(), 'v1');
      return fixture;
    },
  };
}

export async function getJson(url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

export async function isUp(url: string): Promise<boolean> {
  return fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );
}
