/**
 * The `haproxy` driver: server states (ready / drain / maint) and weights through the runtime
 * API, read back with `show servers state`. Optionally the whole server state is written to the
 * file the config names in `server-state-file`, so a restarted HAProxy comes back the same.
 */
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { TrafficSpec } from '../../domain/traffic-schema';
import type { RouterState, ServerAdmin, TrafficRole } from '../../domain/traffic-state';
import { FailureType } from '../failure-types';
import { insideWorkdir } from '../plan-paths';
import { now, writeAtomic, type TrafficDriver } from './driver';
import { adminOf, haproxyCommand, parseServersState } from './haproxy-socket';

type HaproxySpec = Extract<TrafficSpec, { driver: 'haproxy' }>;
interface Runtime {
  v1: { admin: ServerAdmin; weight: number };
  v2: { admin: ServerAdmin; weight: number };
}
const ROLES = ['v1', 'v2'] as const;

export class HaproxyTrafficDriver implements TrafficDriver {
  private readonly persistFile?: string;
  private readonly socket: string;
  constructor(
    loaded: LoadedPlan,
    private readonly spec: HaproxySpec,
  ) {
    // relative to the plan's workdir like every plan path; only connected to, so not confined
    this.socket = path.resolve(loaded.workdir, spec.socket);
    if (spec.persistStateFile)
      this.persistFile = insideWorkdir(loaded, spec.persistStateFile, 'traffic.persistStateFile');
  }

  private server = (role: TrafficRole) => `${this.spec.backend}/${this.spec.servers[role]}`;

  async read(): Promise<RouterState> {
    const text = await haproxyCommand(this.socket, `show servers state ${this.spec.backend}`);
    if (/can't find backend|No such backend/i.test(text)) {
      throw ApplicationFailure.nonRetryable(
        `traffic.backend "${this.spec.backend}" is not a backend of the ` +
          `HAProxy at ${this.socket}: use the backend's name from its config`,
        FailureType.InvalidTrafficConfig,
      );
    }
    const rows = parseServersState(text);
    const runtime = {} as Runtime;
    for (const role of ROLES) {
      const row = rows.get(this.spec.servers[role]);
      if (!row) {
        throw ApplicationFailure.nonRetryable(
          `traffic.servers.${role} "${this.spec.servers[role]}" is not a ` +
            `server of backend ${this.spec.backend} (it has: ${[...rows.keys()].join(', ') || 'none'})`,
          FailureType.InvalidTrafficConfig,
        );
      }
      runtime[role] = { admin: adminOf(row.admin), weight: row.weight };
    }
    const share = (r: TrafficRole) => (runtime[r].admin === 'ready' ? runtime[r].weight : 0);
    const total = share('v1') + share('v2');
    const pct = (r: TrafficRole) => (total ? Math.round((share(r) * 100) / total) : 0);
    const raw = JSON.stringify(runtime);
    return {
      driver: 'haproxy',
      weights: { v1: pct('v1'), v2: pct('v2') },
      servers: { v1: runtime.v1.admin, v2: runtime.v2.admin },
      raw,
      fingerprint: raw,
      readAt: now(),
    };
  }

  /** Who gains traffic first, then who loses it: never a moment with nobody ready. */
  async setWeights(weights: { v1: number; v2: number }): Promise<void> {
    const full = this.spec.fullWeight;
    const target: Runtime = {
      v1:
        weights.v1 > 0
          ? { admin: 'ready', weight: Math.max(1, Math.round((weights.v1 * full) / 100)) }
          : { admin: 'drain', weight: -1 },
      v2:
        weights.v2 > 0
          ? { admin: 'ready', weight: Math.max(1, Math.round((weights.v2 * full) / 100)) }
          : { admin: 'drain', weight: -1 },
    };
    await this.apply(target);
  }

  async restore(state: RouterState): Promise<void> {
    if (state.driver !== 'haproxy' || !state.raw)
      throw ApplicationFailure.nonRetryable(
        `cannot restore HAProxy from a ${state.driver} state: ` + `traffic.driver changed during the cutover?`,
        FailureType.InvalidTrafficConfig,
      );
    await this.apply(JSON.parse(state.raw) as Runtime);
  }

  private async apply(target: Runtime): Promise<void> {
    const order = [...ROLES].sort((a, b) => Number(target[b].admin === 'ready') - Number(target[a].admin === 'ready'));
    const commands = order.flatMap((r) => [
      ...(target[r].weight >= 0 ? [`set server ${this.server(r)} weight ${target[r].weight}`] : []),
      `set server ${this.server(r)} state ${target[r].admin}`,
    ]);
    const answer = await haproxyCommand(this.socket, commands.join('; '));
    const problem = answer.split('\n').find((l) => /no such|not found|require|denied|unknown|invalid/i.test(l));
    if (problem)
      throw ApplicationFailure.nonRetryable(
        `HAProxy refused "${commands.join('; ')}": ${problem.trim()}`,
        FailureType.RouterConfigRejected,
      );
    if (this.persistFile) await writeAtomic(this.persistFile, await haproxyCommand(this.socket, 'show servers state'));
  }
}
