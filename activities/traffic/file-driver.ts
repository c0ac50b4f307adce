/**
 * The `file` driver: an atomically replaced JSON pointer holding the active upstream, the shape
 * a router reload (an nginx include, a HAProxy map, a symlink) can consume. It cannot split
 * traffic: only all-to-one weights.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { TrafficSpec } from '../../domain/traffic-schema';
import type { RouterState, TrafficRole } from '../../domain/traffic-state';
import { FailureType } from '../failure-types';
import { insideWorkdir } from '../plan-paths';
import { now, readOptional, writeAtomic, type TrafficDriver } from './driver';

export interface TrafficPointer {
  active: TrafficRole;
  name: string;
  upstream: string;
  switchedAt: string;
}

type FileSpec = Extract<TrafficSpec, { driver: 'file' }>;

const isPointer = (v: unknown): v is TrafficPointer =>
  !!v &&
  typeof v === 'object' &&
  ((v as TrafficPointer).active === 'v1' || (v as TrafficPointer).active === 'v2') &&
  typeof (v as TrafficPointer).upstream === 'string';

export class FileTrafficDriver implements TrafficDriver {
  readonly file: string;
  constructor(
    private readonly loaded: LoadedPlan,
    spec: FileSpec,
  ) {
    this.file = insideWorkdir(loaded, spec.pointerFile, 'traffic.pointerFile');
  }

  /**
   * The pointer as last written, or null when there is none yet (no switch so far). A file that
   * is there but unreadable or not a pointer is an error: which upstream the router follows is
   * then unknown, and silently overwriting it could hide a hand edit or a half-written file.
   */
  async pointer(): Promise<TrafficPointer | null> {
    const text = await this.text();
    if (text === null) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isPointer(parsed)) {
      throw ApplicationFailure.nonRetryable(
        `traffic.pointerFile ${this.file} is corrupt (not a {"active": ` +
          `"v1"|"v2", "upstream": ...} pointer): check which upstream the ` +
          `router serves, then fix or delete the file and retry`,
        FailureType.TrafficPointerCorrupt,
      );
    }
    return parsed;
  }

  private async text(): Promise<string | null> {
    try {
      return await readOptional(this.file);
    } catch (err) {
      throw ApplicationFailure.nonRetryable(
        `traffic.pointerFile ${this.file} cannot be read (` +
          `${(err as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions`,
        FailureType.TrafficPointerCorrupt,
      );
    }
  }

  /** No pointer yet means nothing was switched: V1, the service the router was set up with, serves. */
  async read(): Promise<RouterState> {
    const p = await this.pointer();
    const raw = p ? await this.text() : null;
    const active = p?.active ?? 'v1';
    return {
      driver: 'file',
      weights: { v1: active === 'v1' ? 100 : 0, v2: active === 'v2' ? 100 : 0 },
      raw,
      fingerprint: raw === null ? 'no pointer' : createHash('sha256').update(raw).digest('hex'),
      readAt: now(),
    };
  }

  async setWeights(weights: { v1: number; v2: number }): Promise<void> {
    const role =
      weights.v2 === 100 && weights.v1 === 0 ? 'v2' : weights.v1 === 100 && weights.v2 === 0 ? 'v1' : undefined;
    if (!role) {
      throw ApplicationFailure.nonRetryable(
        `traffic.driver "file" cannot split traffic (asked V1 ` +
          `${weights.v1}%, V2 ${weights.v2}%): use the nginx, haproxy or ` +
          `exec driver for a canary`,
        FailureType.InvalidTrafficConfig,
      );
    }
    const current = await this.pointer();
    const spec = this.loaded.plan.services[role];
    if (current?.active === role && current.upstream === spec.baseUrl) return;
    const pointer: TrafficPointer = { active: role, name: spec.name, upstream: spec.baseUrl, switchedAt: now() };
    await writeAtomic(this.file, JSON.stringify(pointer, null, 2) + '\n');
  }

  async restore(state: RouterState): Promise<void> {
    if ((await this.text()) !== state.raw) await writeAtomic(this.file, state.raw);
  }
}
