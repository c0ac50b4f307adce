/**
 * The traffic activities. Each change is read back from the router and verified through its
 * public address; the router's state before a cutover's first change is kept (per cutover, in
 * traffic.stateDir) so the undo puts back exactly that and proves it by reading it back.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../../domain/loaded-plan';
import {
  allTo,
  describeTraffic,
  servingRoles,
  v2Share,
  type RouterState,
  type TrafficRole,
  type TrafficStep,
} from '../../domain/traffic-state';
import { safeSlug } from '../../domain/names';
import { FailureType } from '../failure-types';
import { fileInside, insideWorkdir } from '../plan-paths';
import { readOptional, writeAtomic, type TrafficDriver } from './driver';
import { ExecTrafficDriver } from './exec-driver';
import { FileTrafficDriver, type TrafficPointer } from './file-driver';
import { HaproxyTrafficDriver } from './haproxy-driver';
import { NginxTrafficDriver } from './nginx-driver';
import { verifyThroughRouter } from './verify';
import { keepAlive } from '../heartbeat';
import { runningWorkflowId } from '../../infra/activity-context';

export type { TrafficPointer } from './file-driver';

export function trafficDriverFor(loaded: LoadedPlan): TrafficDriver {
  const spec = loaded.plan.traffic!;
  if (spec.driver === 'nginx') return new NginxTrafficDriver(loaded, spec);
  if (spec.driver === 'haproxy') return new HaproxyTrafficDriver(loaded, spec);
  if (spec.driver === 'exec') return new ExecTrafficDriver(loaded, spec);
  return new FileTrafficDriver(loaded, spec);
}

const beforeFile = (loaded: LoadedPlan, cutoverId: string) =>
  fileInside(
    insideWorkdir(loaded, loaded.plan.traffic!.stateDir, 'traffic.stateDir'),
    `${safeSlug(cutoverId)}.before.json`,
  );

/** Kept once per cutover: a retried or later step never overwrites the state before the first change. */
export async function keepStateBefore(loaded: LoadedPlan, cutoverId: string, state: RouterState): Promise<void> {
  const file = beforeFile(loaded, cutoverId);
  if ((await readOptional(file)) === null) await writeAtomic(file, JSON.stringify(state, null, 2) + '\n');
}

/** Weights set, read back (the router must now do what it was told), verified through the public address. */
export async function changeTraffic(
  loaded: LoadedPlan,
  weights: { v1: number; v2: number },
  label: string,
  opts: { cutoverId?: string; verify?: boolean } = {},
): Promise<TrafficStep> {
  return beating(label, () => changeAndVerify(loaded, weights, label, opts));
}

/**
 * A router step may wait on the operator's own command, nginx's old workers (up to its
 * worker_shutdown_timeout) and then the probes: it heartbeats all along, so the workflow's limit
 * can be long while a lost worker is still noticed in seconds.
 */
async function beating<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const stop = keepAlive(() => ({ router: what, elapsedMs: Date.now() - started }));
  try {
    return await step();
  } finally {
    stop();
  }
}

async function changeAndVerify(
  loaded: LoadedPlan,
  weights: { v1: number; v2: number },
  label: string,
  opts: { cutoverId?: string; verify?: boolean },
): Promise<TrafficStep> {
  const { cutoverId = runningWorkflowId(), verify = true } = opts;
  const driver = trafficDriverFor(loaded);
  const before = await driver.read();
  if (cutoverId) await keepStateBefore(loaded, cutoverId, before);
  await driver.setWeights(weights);
  const state = await driver.read();
  const want = (['v1', 'v2'] as const).filter((r) => weights[r] > 0);
  const got = servingRoles(state);
  if (want.join() !== got.join()) {
    throw ApplicationFailure.retryable(
      `the router did not take the change: asked V1 ${weights.v1}% / ` +
        `V2 ${weights.v2}%, it reads back ${describeTraffic(state)}`,
      FailureType.RouterConfigRejected,
    );
  }
  const verified = verify ? await verifyThroughRouter(loaded.plan.traffic!, weights) : undefined;
  return { label, state, summary: describeTraffic(state), verified };
}

/**
 * All traffic to `role` (the name the recorded histories call). Returns the pointer shape the
 * workflow's phase message uses (`upstream`), plus the router's state.
 */
export async function switchTraffic(
  loaded: LoadedPlan,
  role: TrafficRole,
): Promise<(TrafficPointer & { traffic: TrafficStep }) | null> {
  if (!loaded.plan.traffic) return null;
  const spec = loaded.plan.services[role];
  const step = await changeTraffic(loaded, allTo(role), `all traffic → ${role.toUpperCase()}`);
  return {
    active: role,
    name: spec.name,
    upstream: loaded.plan.traffic.publicUrl
      ? `${spec.baseUrl} (through ${loaded.plan.traffic.publicUrl})`
      : spec.baseUrl,
    switchedAt: step.state.readAt,
    traffic: step,
  };
}

/** A canary step: V2 gets `v2Percent` of new requests. */
export async function setTrafficWeights(loaded: LoadedPlan, v2Percent: number): Promise<TrafficStep | null> {
  if (!loaded.plan.traffic) return null;
  return changeTraffic(loaded, v2Share(v2Percent), `V2 ${v2Percent}%`);
}

/**
 * Before V1 stops (cutover strategy): nobody in the router, so no request is on its way to V1
 * as it goes; the router answers 503 + Retry-After until V2 is switched in. A pointer file
 * cannot say "nobody", and an exec router without a weights command is left as it is.
 */
export async function drainTrafficForStop(loaded: LoadedPlan): Promise<TrafficStep | null> {
  const t = loaded.plan.traffic;
  if (!t || t.driver === 'file' || (t.driver === 'exec' && !t.weights)) return null;
  return changeTraffic(loaded, { v1: 0, v2: 0 }, 'V1 out of the router before its stop', { verify: false });
}

/** The router's state now (status, details, reports). */
export async function readTrafficState(loaded: LoadedPlan): Promise<TrafficStep | null> {
  if (!loaded.plan.traffic) return null;
  const state = await trafficDriverFor(loaded).read();
  return { label: 'now', state, summary: describeTraffic(state) };
}

/**
 * The undo: the router exactly as before `cutoverId`'s first change, read back and compared.
 * Without a kept state (a manual rollback, or a cutover that never reached its switch) it is
 * "all traffic to V1". Not probed: in a rollback V1 may not be started yet (verifyTraffic, after).
 */
export async function restoreTraffic(loaded: LoadedPlan, cutoverId?: string): Promise<TrafficStep | null> {
  if (!loaded.plan.traffic) return null;
  const text = cutoverId ? await readOptional(beforeFile(loaded, cutoverId)) : null;
  if (text === null)
    return changeTraffic(loaded, allTo('v1'), 'all traffic → V1 (no state kept from before)', {
      cutoverId: '',
      verify: false,
    });
  return beating('restore', () => restoreExactly(loaded, JSON.parse(text) as RouterState));
}

async function restoreExactly(loaded: LoadedPlan, before: RouterState): Promise<TrafficStep> {
  // No pointer before the cutover meant V1 served (nothing had been switched yet): the undo says
  // so in the file, as the seed's rollback always did, rather than deleting it.
  if (before.driver === 'file' && before.raw === null)
    return changeTraffic(loaded, allTo('v1'), 'all traffic → V1 (no pointer before the cutover)', {
      cutoverId: '',
      verify: false,
    });
  const driver = trafficDriverFor(loaded);
  await driver.restore(before);
  const state = await driver.read();
  if (state.fingerprint !== before.fingerprint) {
    throw ApplicationFailure.retryable(
      `the router reads back ${describeTraffic(state)} after the ` +
        `restore, not the state before the cutover (${describeTraffic(before)})`,
      FailureType.RouterConfigRejected,
    );
  }
  return { label: `restored: ${describeTraffic(state)}`, state, summary: describeTraffic(state) };
}

/** Whoever the router says serves now answers through the public address (after a rollback started V1). */
export async function verifyTraffic(loaded: LoadedPlan): Promise<TrafficStep | null> {
  const spec = loaded.plan.traffic;
  if (!spec) return null;
  return beating('verify', async () => {
    const state = await trafficDriverFor(loaded).read();
    const verified = await verifyThroughRouter(spec, state.weights);
    return { label: 'verified through the router', state, summary: describeTraffic(state), verified };
  });
}

/** The pointer file of the `file` driver as last written (kept for callers of the seed's API). */
export async function readTraffic(loaded: LoadedPlan): Promise<TrafficPointer | null> {
  const spec = loaded.plan.traffic;
  if (spec?.driver !== 'file') return null;
  return new FileTrafficDriver(loaded, spec).pointer();
}
