/**
 * A service that is not the demo (test/fixtures/orders-service): two real child processes, V1
 * and V2, over an orders folder, and a plan of data checks for them. Used by the check engine's
 * tests and the non-demo cutover.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, REPO } from './demo-fixture';
import { killPidFiles } from './pid-files';
import { loadInlinePlan } from '../../activities/plan-loader';
import type { LoadedPlan } from '../../domain/loaded-plan';

export const ORDERS_SERVICE = path.join(REPO, 'test/fixtures/orders-service/server.mjs');

export function writeOrders(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const regions = ['east', 'west', 'north', 'south'];
  const orders = Array.from({ length: 400 }, (_, i) => ({
    id: i + 1,
    region: regions[i % 4],
    amount: 10 + ((i * 37) % 90),
  }));
  fs.writeFileSync(path.join(dir, 'orders-1.json'), JSON.stringify(orders));
}

export interface OrdersFixture {
  workdir: string;
  name: string;
  /** V2 reads it on every request: write {"drift": "east:0.05"} etc. to break it at run time */
  faultFile: string;
  ports: { v1: number; v2: number };
  urls: { v1: string; v2: string };
  loaded: (checks: unknown[], extra?: Record<string, unknown>) => LoadedPlan;
  plan: (checks: unknown[], extra?: Record<string, unknown>) => Record<string, any>;
  /** starts V1/V2 by hand (engine tests); cutover tests let the process driver do it */
  start: (role: 'v1' | 'v2', env?: Record<string, string>) => Promise<void>;
  stop: (role: 'v1' | 'v2') => Promise<void>;
  cleanup: () => Promise<void>;
}

export interface OrdersOptions {
  /** service names are `<name>-v1`, `<name>-v2` (Prometheus jobs, pid files) */
  name?: string;
  /** env for both services (e.g. ORDERS_DB_URL) */
  env?: Record<string, string>;
  v2Env?: Record<string, string>;
}

export async function createOrdersFixture(opts: OrdersOptions = {}): Promise<OrdersFixture> {
  const name = opts.name ?? 'orders';
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-orders-'));
  writeOrders(path.join(workdir, 'data'));
  const ports = { v1: await freePort(), v2: await freePort() };
  const urls = { v1: `http://127.0.0.1:${ports.v1}/api`, v2: `http://127.0.0.1:${ports.v2}/api` };
  const children: Partial<Record<'v1' | 'v2', ChildProcess>> = {};
  const service = (role: 'v1' | 'v2', env: Record<string, string> = {}) => ({
    name: `${name}-${role}`,
    driver: 'process',
    command: [
      'node',
      ORDERS_SERVICE,
      '--port',
      String(ports[role]),
      '--data',
      path.join(workdir, 'data'),
      '--version',
      role,
    ],
    env: { ...opts.env, ...env },
    runDir: path.join(workdir, 'run'),
    baseUrl: urls[role],
    healthPath: '/health',
    stopGrace: '5s',
    startTimeout: '20s',
  });
  const plan = (checks: unknown[], extra: Record<string, unknown> = {}) => ({
    name: `${name}-plan`,
    workdir,
    services: {
      v1: service('v1'),
      v2: {
        ...service('v2', { ORDERS_FAULT_FILE: path.join(workdir, 'v2-faults.json'), ...opts.v2Env }),
        artifact: ORDERS_SERVICE,
      },
    },
    backup: { paths: ['data'], dir: 'backups' },
    traffic: { pointerFile: 'active-upstream.json' },
    tests: { command: ['node', '-e', 'console.log("3 passed, 0 failed")'], timeout: '1m' },
    approvals: {
      allowAutoApprove: true,
      approvers: { engineering: ['alice'], operations: ['bob'], dataQuality: ['carol'] },
    },
    notifications: { file: 'notifications.log' },
    reports: { dir: 'reports' },
    checks,
    ...extra,
  });
  const waitUp = async (url: string) => {
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${url} did not come up`);
  };
  const stop = async (role: 'v1' | 'v2') => {
    const child = children[role];
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  const faultFile = path.join(workdir, 'v2-faults.json');
  return {
    workdir,
    name,
    faultFile,
    ports,
    urls,
    plan,
    loaded: (checks, extra) => loadInlinePlan(plan(checks, extra), workdir),
    async start(role, env = {}) {
      const spec = service(role);
      children[role] = spawn(spec.command[0], spec.command.slice(1), {
        env: { ...process.env, ...spec.env, ...env },
        stdio: 'ignore',
      });
      await waitUp(urls[role]);
    },
    stop,
    async cleanup() {
      await Promise.all((['v1', 'v2'] as const).map(stop));
      // and whatever the process driver started (pid files), as the demo fixture does
      killPidFiles(path.join(workdir, 'run'));
      fs.rmSync(workdir, { recursive: true, force: true });
    },
  };
}
