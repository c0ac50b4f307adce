/**
 * The `exec` driver: the plan's own commands (argv, no shell) for a router this tool does not
 * know. `state` prints {"v1": weight, "v2": weight}; `switch` gets "{role}"; `weights` gets
 * "{v1}" and "{v2}" (percent).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { TrafficSpec } from '../../domain/traffic-schema';
import type { RouterState } from '../../domain/traffic-state';
import { FailureType } from '../failure-types';
import { describeResult, runCommand } from '../services/service-driver';
import { now, type TrafficDriver } from './driver';

type ExecSpec = Extract<TrafficSpec, { driver: 'exec' }>;

export class ExecTrafficDriver implements TrafficDriver {
  constructor(
    private readonly loaded: LoadedPlan,
    private readonly spec: ExecSpec,
  ) {}

  private async run(field: 'switch' | 'weights' | 'state', argv: string[]): Promise<string> {
    const r = await runCommand(argv, { cwd: this.loaded.workdir, timeoutMs: 60_000 });
    if (r.code !== 0)
      throw ApplicationFailure.retryable(
        `traffic.${field}: ${describeResult(argv, r)}`,
        FailureType.RouterConfigRejected,
      );
    return r.stdout;
  }

  async read(): Promise<RouterState> {
    const out = await this.run('state', this.spec.state);
    let parsed: unknown;
    try {
      parsed = JSON.parse(out);
    } catch {
      parsed = undefined;
    }
    const w = parsed as { v1?: unknown; v2?: unknown } | undefined;
    if (typeof w?.v1 !== 'number' || typeof w?.v2 !== 'number') {
      throw ApplicationFailure.nonRetryable(
        `traffic.state must print {"v1": <weight>, "v2": <weight>}, it ` + `printed: ${out.trim().slice(0, 200)}`,
        FailureType.InvalidTrafficConfig,
      );
    }
    const raw = JSON.stringify({ v1: w.v1, v2: w.v2 });
    return { driver: 'exec', weights: { v1: w.v1, v2: w.v2 }, raw, fingerprint: raw, readAt: now() };
  }

  async setWeights(weights: { v1: number; v2: number }): Promise<void> {
    const current = await this.read();
    if (current.weights.v1 === weights.v1 && current.weights.v2 === weights.v2) return;
    const whole = weights.v1 === 0 ? 'v2' : weights.v2 === 0 ? 'v1' : undefined;
    if (whole && !this.spec.weights) {
      await this.run(
        'switch',
        this.spec.switch.map((a) => a.replaceAll('{role}', whole)),
      );
      return;
    }
    if (!this.spec.weights) {
      throw ApplicationFailure.nonRetryable(
        'traffic.weights is missing: a canary needs a command that sets ' + 'weights ("{v1}", "{v2}")',
        FailureType.InvalidTrafficConfig,
      );
    }
    await this.run(
      'weights',
      this.spec.weights.map((a) => a.replaceAll('{v1}', String(weights.v1)).replaceAll('{v2}', String(weights.v2))),
    );
  }

  async restore(state: RouterState): Promise<void> {
    await this.setWeights(state.weights);
  }
}
