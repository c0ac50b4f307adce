/**
 * One interface over every way a service can be run (process, systemd, docker, exec), plus the
 * argv runner the drivers share. Commands always go through execFile: never a shell, so names
 * from a plan cannot inject anything.
 */
import { spawn } from 'node:child_process';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../failure-types';
import { cancellationSignal } from '../../infra/activity-context';
import { keepAlive } from '../heartbeat';
import { trackChild } from '../child-registry';

export type ServiceState = 'running' | 'stopped' | 'unknown';

export interface ServiceDriver {
  /** idempotent: already running → no-op. Does not wait for health (see waitHealthy). */
  start(): Promise<void>;
  /** graceful stop (SIGTERM or the manager's stop), force after graceMs; idempotent */
  stop(graceMs: number): Promise<{ forced: boolean }>;
  status(): Promise<ServiceState>;
}

export interface CommandResult {
  /** exit code, or null when killed by a signal (including our timeout) */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CommandOptions {
  cwd?: string;
  /** kill the command (SIGTERM) after this many ms; default 60 s */
  timeoutMs?: number;
  /** set on top of the scrubbed worker env (childEnv): what a plan passes on purpose */
  env?: Record<string, string>;
}

const MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * Variables no child of the worker (a service, a driver's command, the test suite) inherits:
 * the worker's Temporal credentials, the payload codec's keys (CUTOVER_CODEC_*), and anything
 * named like a secret. A service that needs one gets it through the plan's `env`.
 */
const NOT_INHERITED = /^TEMPORAL_|^CUTOVER_CODEC_|WEBHOOK|API_KEY|SECRET|TOKEN|PASSWORD/i;

/** The worker's environment without its secrets, plus `own` (which may set anything). */
export function childEnv(own: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !NOT_INHERITED.test(k)));
  return { ...inherited, ...own };
}

/**
 * Runs argv and resolves with its outcome whatever the exit code; callers decide what a
 * non-zero exit means. Only "cannot run at all" (program missing, not executable) rejects,
 * non-retryably, because no retry brings a missing program back. The command runs in its own
 * process group, recorded in the run folder (activities/child-registry.ts): a timeout or the
 * activity's cancellation kills the whole group, and a worker that died mid-command has it
 * killed by the next worker on the host. It heartbeats every ~2 s while it runs.
 */
export function runCommand(argv: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const [program, ...args] = argv;
  if (!program) throw ApplicationFailure.nonRetryable('empty command', FailureType.InvalidServiceConfig);
  return new Promise((resolve, reject) => {
    // env passed explicitly: the default is Node's own process.env, which a test sandbox
    // (jest) does not share, so a fake program put first on PATH would not be found;
    // scrubbed, so systemctl, docker and a plan's exec commands see none of the worker's secrets
    const child = spawn(program, args, {
      cwd: opts.cwd,
      env: childEnv(opts.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const untrack = trackChild(child.pid, argv.join(' '));
    const stopBeat = keepAlive(() => ({ command: program }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-MAX_OUTPUT)));
    let killed = false;
    const killGroup = () => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
        }, 5_000).unref();
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(killGroup, opts.timeoutMs ?? 60_000);
    const signal = cancellationSignal();
    signal?.addEventListener('abort', killGroup);
    const done = () => {
      clearTimeout(timer);
      stopBeat();
      untrack();
      signal?.removeEventListener('abort', killGroup);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      done();
      if (['ENOENT', 'EACCES', 'ENOTDIR'].includes(err.code ?? '')) {
        const where = opts.cwd ? ` (cwd ${opts.cwd})` : '';
        reject(
          ApplicationFailure.nonRetryable(
            `cannot run "${program}"${where}: ${err.code}`,
            FailureType.InvalidServiceConfig,
          ),
        );
      } else reject(err);
    });
    child.once('close', (code) => {
      done();
      resolve({ code, stdout, stderr, timedOut: killed && code === null });
    });
  });
}

/** One line describing a command's outcome for error messages. */
export function describeResult(argv: readonly string[], r: CommandResult): string {
  const how = r.timedOut ? 'timed out' : `exited ${r.code}`;
  const out = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join(' | ');
  return `${argv.join(' ')} ${how}${out ? `: ${out}` : ''}`;
}
