/** The real worker as a separate process, so a test can SIGKILL it like a crashed host. */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './demo-fixture';

/**
 * One process per worker (no tsx wrapper), in its own group so SIGKILL takes all of it; `args` e.g. --host NAME.
 * `command` replaces the checkout's worker (e.g. an installed `cutover worker`), run in `cwd`.
 */
export function startWorkerProcess(
  address: string,
  extra: {
    args?: string[];
    env?: Record<string, string>;
    command?: string[];
    cwd?: string;
    /** every chunk of its stdout and stderr, for a test that reads its log (from the first line) */
    onOutput?: (text: string) => void;
  } = {},
): Promise<ChildProcess> {
  const [cmd, ...cmdArgs] = extra.command ?? ['node', '--import', 'tsx', 'worker/main.ts'];
  const child = spawn(cmd, [...cmdArgs, ...(extra.args ?? [])], {
    cwd: extra.cwd ?? REPO,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'default',
      CUTOVER_LOG_PRETTY: '0',
      CUTOVER_LOG_LEVEL: 'info',
      CUTOVER_ALLOW_INLINE_PLANS: '1',
      CUTOVER_PLAN_DIR: [REPO, os.tmpdir()].join(path.delimiter),
      // like the tests' in-process workers, unversioned: a test of Worker Versioning sets it to 1
      CUTOVER_WORKER_VERSIONING: '0',
      ...extra.env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      extra.onOutput?.(String(d));
      if (out.includes('worker polling')) resolve(child);
    });
    child.stderr!.on('data', (d) => {
      out += d;
      extra.onOutput?.(String(d));
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${out.slice(-2000)}`)));
    // a safety net, not a speed assertion: a worker that neither polls nor exits is stopped and told
    const timer = setTimeout(() => {
      reject(new Error(`worker did not report polling within ${START_DEADLINE_MS / 1000} s:\n${out.slice(-2000)}`));
      void killGroup(child);
    }, START_DEADLINE_MS);
    timer.unref();
    child.stdout!.on('data', () => out.includes('worker polling') && clearTimeout(timer));
  });
}

const START_DEADLINE_MS = 180_000;

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    return Promise.resolve();
  }
  return exited;
}
