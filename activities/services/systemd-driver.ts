/** Services managed by systemd: `systemctl` found on PATH, called through execFile only. */
import { ApplicationFailure } from '@temporalio/common';
import type { ServiceSpec } from '../../domain/service-schema';
import { FailureType } from '../failure-types';
import { describeResult, runCommand, type ServiceDriver, type ServiceState } from './service-driver';

export type SystemdSpec = Extract<ServiceSpec, { driver: 'systemd' }>;

/** Checked again here (not only in the plan schema): this string becomes an argv element. */
export const UNIT_PATTERN = /^[A-Za-z0-9:_.@-]+\.service$/;
const KILL_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SystemdDriver implements ServiceDriver {
  private readonly unit: string;

  constructor(spec: Pick<SystemdSpec, 'unit' | 'name'>) {
    // a leading "-" would pass the pattern but be read by systemctl as an option
    if (!UNIT_PATTERN.test(spec.unit) || spec.unit.startsWith('-')) {
      throw ApplicationFailure.nonRetryable(
        `${spec.name}: "${spec.unit}" is not a systemd unit name like "abaco-pipeline-v2.service"`,
        FailureType.InvalidServiceConfig,
      );
    }
    this.unit = spec.unit;
  }

  private systemctl(args: string[], timeoutMs?: number) {
    return runCommand(['systemctl', ...args, this.unit], { timeoutMs });
  }

  /** `systemctl start` is already a no-op for an active unit. */
  async start(): Promise<void> {
    const r = await this.systemctl(['start']);
    if (r.code !== 0) {
      // systemd already retried per the unit's Restart= policy; a failed job means the unit fails
      throw ApplicationFailure.nonRetryable(
        describeResult(['systemctl', 'start', this.unit], r),
        FailureType.ServiceStartFailed,
      );
    }
  }

  async stop(graceMs: number): Promise<{ forced: boolean }> {
    const r = await this.systemctl(['stop'], graceMs);
    if (r.code === 0) return { forced: false };
    if ((await this.status()) === 'stopped') return { forced: false };
    const kill = await this.systemctl(['kill', '--signal=SIGKILL']);
    for (const deadline = Date.now() + KILL_WAIT_MS; Date.now() < deadline; await sleep(200)) {
      if ((await this.status()) === 'stopped') return { forced: true };
    }
    throw ApplicationFailure.retryable(
      `${this.unit} still active after stop (` +
        `${describeResult(['systemctl', 'stop', this.unit], r)}) and ` +
        `SIGKILL (${describeResult(['systemctl', 'kill', this.unit], kill)})`,
      FailureType.ServiceStopFailed,
    );
  }

  /** is-active prints the state and exits 0 only when active. */
  async status(): Promise<ServiceState> {
    const r = await this.systemctl(['is-active'], 10_000);
    const state = r.stdout.trim();
    if (state === 'active' || state === 'reloading') return 'running';
    if (state === 'inactive' || state === 'failed') return 'stopped';
    return 'unknown'; // activating, deactivating, or systemctl itself failed
  }
}
