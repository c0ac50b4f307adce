/**
 * The `nginx` driver: writes the upstream include nginx's config pulls in, checks the whole
 * config with `nginx -t` before anything is reloaded, reloads, and keeps the include it
 * replaced as `<include>.previous`. A config nginx rejects is put back byte for byte before
 * the step fails: the running nginx never saw it.
 */
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { TrafficSpec } from '../../domain/traffic-schema';
import type { RouterState } from '../../domain/traffic-state';
import { FailureType } from '../failure-types';
import { insideWorkdir } from '../plan-paths';
import { describeResult, runCommand } from '../services/service-driver';
import { reloadAndWait } from './nginx-reload';
import { hostPort, now, readOptional, writeAtomic, type TrafficDriver } from './driver';

type NginxSpec = Extract<TrafficSpec, { driver: 'nginx' }>;

export class NginxTrafficDriver implements TrafficDriver {
  readonly include: string;
  readonly config: string;
  private readonly servers: { v1: string; v2: string };

  constructor(
    loaded: LoadedPlan,
    private readonly spec: NginxSpec,
  ) {
    this.include = insideWorkdir(loaded, spec.include, 'traffic.include');
    // only read (by nginx): not confined, like a service's cwd
    this.config = path.resolve(loaded.workdir, spec.config);
    this.servers = { v1: hostPort(loaded.plan.services.v1.baseUrl), v2: hostPort(loaded.plan.services.v2.baseUrl) };
  }

  /**
   * The upstream block for these weights; a role at 0 is left out (nginx has no weight 0). Both
   * at 0 (V1 out before its stop): both marked `down`, so nginx answers from its maintenance page.
   * `keep`: the operator's own directives of the block (`keepalive 32`, `zone …`, `least_conn`),
   * carried over so a switch changes the servers and nothing else.
   */
  render(weights: { v1: number; v2: number }, keep: string[] = []): string {
    const nobody = weights.v1 <= 0 && weights.v2 <= 0;
    const lines = (['v1', 'v2'] as const)
      .filter((r) => nobody || weights[r] > 0)
      .map((r) => `    server ${this.servers[r]} ${nobody ? 'down' : `weight=${weights[r]} max_fails=0`}; # ${r}`);
    return (
      `# written by cutover: the live upstream (V1 ${weights.v1}%, V2 ` +
      (`${weights.v2}%)\nupstream ${this.spec.upstream} {\n` +
        [...keep.map((d) => `    ${d};`), ...lines].join('\n') +
        `\n}\n`)
    );
  }

  /** The directives of the include's upstream block other than `server` (comments dropped). */
  directives(raw: string | null): string[] {
    const name = this.spec.upstream.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const body =
      new RegExp(`upstream\\s+${name}\\s*\\{([^}]*)\\}`).exec((raw ?? '').replace(/#[^\n]*/g, ''))?.[1] ?? '';
    return body
      .split(';')
      .map((d) => d.trim().replace(/\s+/g, ' '))
      .filter((d) => d && !/^server\s/.test(d));
  }

  async read(): Promise<RouterState> {
    const raw = await readOptional(this.include);
    const weights = { v1: 0, v2: 0 };
    for (const m of (raw ?? '').matchAll(/^\s*server\s+(\S+)([^;]*);/gm)) {
      const role = m[1] === this.servers.v1 ? 'v1' : m[1] === this.servers.v2 ? 'v2' : undefined;
      if (role && !/\bdown\b/.test(m[2])) weights[role] += Number(/weight=(\d+)/.exec(m[2])?.[1] ?? 1);
    }
    return { driver: 'nginx', weights, raw, fingerprint: raw ?? 'no include', readAt: now() };
  }

  async setWeights(weights: { v1: number; v2: number }): Promise<void> {
    return this.install(this.render(weights, this.directives(await readOptional(this.include))));
  }

  restore(state: RouterState): Promise<void> {
    return this.install(state.raw);
  }

  /** Include replaced, checked, reloaded; on a rejection the old bytes go back before the throw. */
  private async install(text: string | null): Promise<void> {
    const before = await readOptional(this.include);
    if (before === text) return;
    if (before !== null) await writeAtomic(`${this.include}.previous`, before);
    await writeAtomic(this.include, text);
    const test = this.spec.test ?? ['nginx', '-t', '-q', '-e', 'stderr', '-c', this.config];
    const checked = await runCommand(test, { timeoutMs: 30_000 });
    if (checked.code !== 0) {
      await writeAtomic(this.include, before);
      throw ApplicationFailure.nonRetryable(
        `traffic.include: nginx rejected the new upstream (` +
          `${describeResult(test, checked)}); the previous include is back ` +
          `and nginx was not reloaded: fix traffic.config or traffic.upstream`,
        FailureType.RouterConfigRejected,
      );
    }
    const reload = this.spec.reload ?? ['nginx', '-s', 'reload', '-e', 'stderr', '-c', this.config];
    const reloaded = await reloadAndWait(this.config, () => runCommand(reload, { timeoutMs: 30_000 }));
    if (reloaded.code !== 0) {
      await writeAtomic(this.include, before);
      throw ApplicationFailure.nonRetryable(
        `traffic.reload failed (${describeResult(reload, reloaded)}); ` +
          `the previous include is back: is nginx running with the pid ` +
          `file of ${this.config}?`,
        FailureType.RouterConfigRejected,
      );
    }
  }
}
