/**
 * Services driven by plan-given commands (argv lists, run through execFile: no shell).
 * The status command's exit code is the state: 0 = running, anything else = stopped.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ServiceSpec } from '../../domain/service-schema';
import { FailureType } from '../failure-types';
import { describeResult, runCommand, type ServiceDriver, type ServiceState } from './service-driver';

export type ExecSpec = Extract<ServiceSpec, { driver: 'exec' }>;

const STATUS_TIMEOUT_MS = 10_000;
const FORCE_WAIT_MS = 10_000;
const POLL_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ExecDriver implements ServiceDriver {
  constructor(
    private readonly spec: Pick<ExecSpec, 'name' | 'start' | 'stop' | 'forceStop' | 'status'>,
    private readonly cwd?: string,
  ) {}

  async status(): Promise<ServiceState> {
    const r = await runCommand(this.spec.status, { cwd: this.cwd, timeoutMs: STATUS_TIMEOUT_MS });
    if (r.timedOut) return 'unknown';
    return r.code === 0 ? 'running' : 'stopped';
  }

  /** Checks status first: a plan's start command need not be idempotent itself. */
  async start(): Promise<void> {
    if ((await this.status()) === 'running') return;
    const r = await runCommand(this.spec.start, { cwd: this.cwd });
    if (r.code !== 0) {
      throw ApplicationFailure.nonRetryable(
        `${this.spec.name}: ${describeResult(this.spec.start, r)}`,
        FailureType.ServiceStartFailed,
      );
    }
  }

  /**
   * The stop command may return before the service is gone (e.g. it only sends a signal),
   * so status is polled until graceMs; then forceStop, if the plan gives one.
   */
  async stop(graceMs: number): Promise<{ forced: boolean }> {
    if ((await this.status()) === 'stopped') return { forced: false };
    const deadline = Date.now() + graceMs;
    const r = await runCommand(this.spec.stop, { cwd: this.cwd, timeoutMs: Math.max(graceMs, 1_000) });
    if (await this.stoppedBy(deadline)) return { forced: false };
    if (!this.spec.forceStop) {
      throw ApplicationFailure.retryable(
        `${this.spec.name} still running after ${graceMs} ms (` +
          `${describeResult(this.spec.stop, r)}) and the plan has no forceStop`,
        FailureType.ServiceStopFailed,
      );
    }
    const force = await runCommand(this.spec.forceStop, { cwd: this.cwd });
    if (await this.stoppedBy(Date.now() + FORCE_WAIT_MS)) return { forced: true };
    throw ApplicationFailure.retryable(
      `${this.spec.name} still running after forceStop (${describeResult(this.spec.forceStop, force)})`,
      FailureType.ServiceStopFailed,
    );
  }

  private async stoppedBy(deadline: number): Promise<boolean> {
    for (;;) {
      if ((await this.status()) === 'stopped') return true;
      if (Date.now() >= deadline) return false;
      await sleep(POLL_MS);
    }
  }
}
