import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { writeDataset, type CsvMode } from './pipeline/dataset-writer';
import type { Manifest } from './pipeline/manifest';
import type { Faults } from './service/faults';

/**
 * Programmatic handle on the demo target for tests and the cutover: generate a data dir, start a
 * real service process (V1 or V2) and wait until /health says ready, stop it by signal.
 */
const REPO_ROOT = path.resolve(__dirname, '..');
export const SERVICE_MAIN = path.join(__dirname, 'service', 'main.ts');

export function generateDataset(dir: string, opts: { rows: number; seed: number; csv?: CsvMode }): Manifest {
  return writeDataset(dir, opts);
}

export interface StartOptions {
  version: 'v1' | 'v2';
  dataDir: string;
  /** 0 (default) lets the OS choose; the port is read from the service's "listening" log line. */
  port?: number;
  faults?: Faults;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface DemoService {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** stdout + stderr so far (pino JSON lines). */
  logs(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after timeoutMs (default 10 s) if still running. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

/** The command line, for drivers that spawn it themselves (tsx runs the TypeScript directly). */
export function serviceCommand(o: { version: string; port: number; dataDir: string }): string[] {
  return [
    process.execPath,
    '--import',
    'tsx',
    SERVICE_MAIN,
    '--version',
    o.version,
    '--port',
    String(o.port),
    '--data',
    o.dataDir,
  ];
}

export function spawnDemoService(opts: StartOptions): ChildProcess {
  const [cmd, ...args] = serviceCommand({ version: opts.version, port: opts.port ?? 0, dataDir: opts.dataDir });
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (opts.faults) env.DEMO_FAULTS = JSON.stringify(opts.faults);
  return spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startDemoService(opts: StartOptions): Promise<DemoService> {
  const child = spawnDemoService(opts);
  let output = '';
  let port = opts.port ?? 0;
  let onPort: (() => void) | undefined;
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
    if (port === 0) {
      const m = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (m) {
        port = Number(m[1]);
        onPort?.();
      }
    }
  });
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  const fail = (why: string): never => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw new Error(`demo ${opts.version} did not start: ${why}\n${output.slice(-2000)}`);
  };
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (exitInfo = e));

  for (;;) {
    if (exitInfo) fail(`exited with code ${exitInfo.code} signal ${exitInfo.signal}`);
    if (Date.now() > deadline) fail('timed out waiting for /health');
    if (port !== 0 && (await healthy(`http://127.0.0.1:${port}`))) break;
    await new Promise<void>((resolve) => {
      onPort = resolve;
      setTimeout(resolve, 50);
    });
  }

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    pid: child.pid ?? -1,
    child,
    exited,
    logs: () => output,
    async stop(timeoutMs = 10_000) {
      if (exitInfo) return { ...exitInfo, killed: false };
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first !== 'timeout') return { ...first, killed: false };
      child.kill('SIGKILL');
      return { ...(await exited), killed: true };
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
