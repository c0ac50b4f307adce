/**
 * Host-bound task queues: a step that touches a machine's own state (a service's processes, the
 * backup archives, the traffic pointer) runs on that machine's agent, `cutover-host-<NAME>`. A plan
 * without hosts keeps every step on the orchestrator's queue with the same options as before, so
 * its commands (and recorded histories) are unchanged. With a host, a step waits at most the plan's
 * `hostWait` for the agent to pick it up, then fails naming the host and the command to run there.
 */
import { ApplicationFailure, TimeoutFailure, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { FailureType } from '../domain/failure-types';
import { TimeoutType, type Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import type { LoadedPlan } from '../domain/loaded-plan';
import { hostQueue } from '../domain/names';
import { act, presets } from './activity-proxies';

export type HostedThing = 'v1' | 'v2' | 'backup' | 'traffic';

export function hostOf(loaded: LoadedPlan, what: HostedThing): string | undefined {
  const { plan } = loaded;
  if (what === 'backup') return plan.backup.host;
  if (what === 'traffic') return plan.traffic?.host;
  return (plan.services[what] as { host?: string }).host;
}

const isScheduleToStart = (err: unknown) => {
  for (let e = err as { cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e instanceof TimeoutFailure && e.timeoutType === TimeoutType.SCHEDULE_TO_START) return true;
  return false;
};

/**
 * A rollback's steps wait for their host however long it takes (a machine rebooting is no reason
 * to give up on V1); `cutover status` says which host they are waiting for.
 */
export const UNTIL_PICKED_UP = { waitForever: true } as const;

/** The activities of `preset`, on the host of `what` (or the orchestrator's queue when it has none). */
export function onHost(
  loaded: LoadedPlan,
  what: HostedThing,
  preset: keyof typeof presets,
  summary?: string,
  wait?: typeof UNTIL_PICKED_UP,
  startToCloseMs?: number,
): Activities {
  return onHostNamed(loaded, hostOf(loaded, what), preset, summary, wait, startToCloseMs);
}

/** The same for a host named directly (a command check's host); `startToCloseMs` as in act(). */
export function onHostNamed(
  loaded: LoadedPlan,
  host: string | undefined,
  preset: keyof typeof presets,
  summary?: string,
  wait?: typeof UNTIL_PICKED_UP,
  startToCloseMs?: number,
): Activities {
  if (!host) return act(preset, summary, startToCloseMs);
  const options: ActivityOptions = {
    ...presets[preset],
    summary: `${summary ?? ''} [host ${host}]`.trim(),
    taskQueue: hostQueue(host),
  };
  if (startToCloseMs) options.startToCloseTimeout = startToCloseMs + 60_000;
  if (!wait) options.scheduleToStartTimeout = loaded.plan.hostWait as Duration;
  const proxy = proxyActivities<Activities>(options);
  return new Proxy(proxy, {
    get:
      (target, name: string) =>
      async (...args: unknown[]) => {
        try {
          return await (target as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name](...args);
        } catch (err) {
          if (!isScheduleToStart(err)) throw err;
          throw ApplicationFailure.nonRetryable(
            `waited ${loaded.plan.hostWait} for host ${host} and no agent ` +
              `picked up "${summary ?? name}": start its agent on that machine ` +
              `(scripts/worker.sh --host ${host}) and run the step again`,
            FailureType.HostUnavailable,
          );
        }
      },
  });
}
