/**
 * The embedded driver: runs the plan's argv as a detached process group with a pid file and a
 * log file. Detached + unref because the worker may be SIGKILLed mid-cutover and the service
 * must keep running; the pid file is how the next worker finds it again.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv } from './service-driver';
import { ApplicationFailure } from '@temporalio/common';
import type { ServiceSpec } from '../../domain/service-schema';
import { FailureType } from '../failure-types';
import { escapeReason } from '../plan-paths';
import type { ServiceDriver, ServiceState } from './service-driver';

export type ProcessSpec = Extract<ServiceSpec, { driver: 'process' }>;
export interface ProcessDriverOptions {
  /** base for relative cwd/runDir; default process.cwd() */
  cwd?: string;
  /** how long start() watches for an early exit; default 1000 ms */
  startSettleMs?: number;
}

const POLL_MS = 100;
const KILL_WAIT_MS = 10_000;
const RUN_MARK = '=== cutover: starting';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Alive and not a zombie: a dead child nobody reaped still answers kill(pid, 0). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/**
 * The kernel's start time of a process (field 22 of /proc/PID/stat): with the pid, it names one process, even after pid
 * reuse.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined; // no /proc (macOS): the pid alone
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

export class ProcessDriver implements ServiceDriver {
  readonly pidFile: string;
  readonly logFile: string;
  private readonly cwd: string;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly opts: ProcessDriverOptions = {},
  ) {
    const base = path.resolve(opts.cwd ?? process.cwd());
    const runDir = path.resolve(base, spec.runDir ?? '.data/run');
    // pid files are read, written and removed here: they stay inside the plan's workdir.
    const escape = escapeReason(base, runDir);
    if (escape) {
      throw ApplicationFailure.nonRetryable(
        `runDir of service ${spec.name}: ${escape}: set ` +
          `services.<role>.runDir to a folder inside the plan's workdir`,
        FailureType.InvalidServiceConfig,
      );
    }
    this.pidFile = path.join(runDir, `${spec.name}.pid`);
    this.logFile = path.join(runDir, `${spec.name}.log`);
    this.cwd = path.resolve(base, spec.cwd ?? '.');
  }

  /** The pid from the pid file if that process is alive; a stale file is removed. */
  private livePid(): number | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.pidFile, 'utf8');
    } catch {
      return undefined;
    }
    // "pid starttime": a pid file left by a crash or a reboot may name another, newer process.
    const [pidText, started] = text.trim().split(/\s+/);
    const pid = Number(pidText);
    if (
      Number.isInteger(pid) &&
      pid > 0 &&
      isAlive(pid) &&
      (!started || startTimeOf(pid) === undefined || startTimeOf(pid) === started)
    )
      return pid;
    fs.rmSync(this.pidFile, { force: true });
    return undefined;
  }

  async status(): Promise<ServiceState> {
    return this.livePid() ? 'running' : 'stopped';
  }

  async start(): Promise<void> {
    if (this.livePid()) return;
    fs.mkdirSync(path.dirname(this.pidFile), { recursive: true });
    const [program, ...args] = this.spec.command;
    const log = fs.openSync(this.logFile, 'a');
    fs.writeSync(
      log,
      `\n${RUN_MARK} ${this.spec.name} at ` + `${new Date().toISOString()}: ${this.spec.command.join(' ')}\n`,
    );
    const child = spawn(program!, args, {
      cwd: this.cwd,
      env: childEnv(this.spec.env),
      detached: true, // own process group: stop() signals the whole group, and it outlives us
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log); // the child holds its own copy of the descriptor
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    } catch (err) {
      throw ApplicationFailure.nonRetryable(
        `${this.spec.name}: cannot run ${program} in ${this.cwd}: ${(err as Error).message}`,
        FailureType.InvalidServiceConfig,
      );
    }
    const tmp = `${this.pidFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${child.pid} ${startTimeOf(child.pid!) ?? ''}`.trim() + '\n');
    fs.renameSync(tmp, this.pidFile); // atomic: a reader never sees half a pid
    child.unref();
    // A crash-on-start shows up within a moment; report it here with its exit code and log.
    let settle: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      exited,
      new Promise<undefined>((r) => (settle = setTimeout(() => r(undefined), this.opts.startSettleMs ?? 1_000))),
    ]);
    clearTimeout(settle);
    if (!early) return;
    fs.rmSync(this.pidFile, { force: true });
    const how = early.code !== null ? `exit code ${early.code}` : `signal ${early.signal}`;
    throw ApplicationFailure.nonRetryable(
      `${this.spec.name} exited during start (${how}); last log lines from ${this.logFile}:\n${this.logTail(20)}`,
      FailureType.ServiceStartFailed,
      { exitCode: early.code, signal: early.signal },
    );
  }

  async stop(graceMs: number): Promise<{ forced: boolean }> {
    const pid = this.livePid();
    if (!pid) return { forced: false };
    signalGroup(pid, 'SIGTERM');
    let forced = false;
    if (!(await this.waitGone(pid, graceMs))) {
      forced = true;
      signalGroup(pid, 'SIGKILL');
      if (!(await this.waitGone(pid, KILL_WAIT_MS))) {
        throw ApplicationFailure.retryable(
          `${this.spec.name} (pid ${pid}) survived SIGKILL`,
          FailureType.ServiceStopFailed,
        );
      }
    }
    fs.rmSync(this.pidFile, { force: true });
    return { forced };
  }

  private async waitGone(pid: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (isAlive(pid)) {
      if (Date.now() >= deadline) return false;
      await sleep(POLL_MS);
    }
    return true;
  }

  /** The last lines this run wrote (after the latest start marker). */
  logTail(lines: number): string {
    let text = '';
    try {
      // only the end: a long-lived service's log can be large
      const fd = fs.openSync(this.logFile, 'r');
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, 64 * 1024));
      fs.readSync(fd, buf, 0, buf.length, size - buf.length);
      fs.closeSync(fd);
      text = buf.toString('utf8');
    } catch {
      return '(no log)';
    }
    const mark = text.lastIndexOf(RUN_MARK);
    const run = mark >= 0 ? text.slice(text.indexOf('\n', mark) + 1) : text;
    return run.trimEnd().split('\n').slice(-lines).join('\n') || '(log empty)';
  }
}
