/** Services run as docker containers: `docker` found on PATH, called through execFile only. */
import { ApplicationFailure } from '@temporalio/common';
import type { ServiceSpec } from '../../domain/service-schema';
import { FailureType } from '../failure-types';
import { describeResult, runCommand, type ServiceDriver, type ServiceState } from './service-driver';

export type DockerSpec = Extract<ServiceSpec, { driver: 'docker' }>;

const CONTAINER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** docker stop waits graceSeconds itself, then kills; give the CLI this much on top */
const CLI_MARGIN_MS = 30_000;

export class DockerDriver implements ServiceDriver {
  private readonly container: string;

  constructor(spec: Pick<DockerSpec, 'container' | 'name'>) {
    // a name starting with "-" would be read as an option
    if (!CONTAINER_PATTERN.test(spec.container)) {
      throw ApplicationFailure.nonRetryable(
        `${spec.name}: "${spec.container}" is not a container name`,
        FailureType.InvalidServiceConfig,
      );
    }
    this.container = spec.container;
  }

  /** `docker start` on a running container succeeds without restarting it. */
  async start(): Promise<void> {
    const argv = ['docker', 'start', this.container];
    const r = await runCommand(argv);
    if (r.code !== 0) throw ApplicationFailure.nonRetryable(describeResult(argv, r), FailureType.ServiceStartFailed);
  }

  /**
   * docker does the SIGTERM → wait → SIGKILL itself; exit code 137 (128 + SIGKILL) tells us it
   * had to force. If the container is somehow still running, `docker kill` it.
   */
  async stop(graceMs: number): Promise<{ forced: boolean }> {
    // checked first so a repeated stop doesn't report the previous forced exit (137) again
    if ((await this.status()) === 'stopped') return { forced: false };
    const graceSeconds = Math.max(0, Math.ceil(graceMs / 1000));
    const stopArgv = ['docker', 'stop', '-t', String(graceSeconds), this.container];
    const r = await runCommand(stopArgv, { timeoutMs: graceMs + CLI_MARGIN_MS });
    const inspect = await runCommand(
      ['docker', 'inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', this.container],
      { timeoutMs: 10_000 },
    );
    const [running, exitCode] = inspect.stdout.trim().split(/\s+/);
    if (inspect.code === 0 && running === 'false') return { forced: exitCode === '137' };
    const killArgv = ['docker', 'kill', this.container];
    const kill = await runCommand(killArgv);
    if (kill.code !== 0) {
      throw ApplicationFailure.retryable(
        `${this.container} did not stop: ${describeResult(stopArgv, r)}; ${describeResult(killArgv, kill)}`,
        FailureType.ServiceStopFailed,
      );
    }
    return { forced: true };
  }

  async status(): Promise<ServiceState> {
    const r = await runCommand(['docker', 'inspect', '-f', '{{.State.Running}}', this.container], {
      timeoutMs: 10_000,
    });
    const out = r.stdout.trim();
    if (r.code === 0 && out === 'true') return 'running';
    if (r.code === 0 && out === 'false') return 'stopped';
    return 'unknown'; // no such container, or the daemon is unreachable
  }
}
