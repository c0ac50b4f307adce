/**
 * Many cutovers at once, safely: right after its plan loads a cutover takes one lock per key of
 * its plan (domain/lock-keys.ts) and gives them back at every end it reaches; how a lock works
 * (an atomic start in the lock namespace, taken over from a holder that closed without releasing
 * it) is activities/cutover-locks.ts. Done by the cutover itself, so it holds however the cutover
 * was started (our CLI, the UI, the `temporal` CLI).
 */
import { CancellationScope, log, workflowInfo } from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import { lockKeys, lockSubject } from '../domain/lock-keys';
import { act } from './activity-proxies';
import { failureMessage } from './failure-message';

const me = () => ({ workflowId: workflowInfo().workflowId, runId: workflowInfo().runId });

/**
 * Takes every lock of the plan into `held`; undefined when all are held by this cutover, else why
 * not (with the id of the one that holds it). A running monitoring of the plan holds it too: it
 * can still roll back the service, which must not happen under a second cutover.
 */
export async function acquirePlanLocks(loaded: LoadedPlan, held: string[]): Promise<string | undefined> {
  const keys = lockKeys(loaded.plan);
  const locks = act('quick', 'Take the plan and endpoint locks');
  const refused = await locks.takePlanLocks(keys, me());
  if (refused) {
    const what =
      refused.key === keys[0]
        ? `another cutover of plan ${loaded.plan.name} is running`
        : `another cutover of ${lockSubject(refused.key)} is running`;
    return `${what}: ${refused.holder}`;
  }
  held.push(...keys);
  const monitoring = await act('quick', 'Look for a running monitoring of the plan').runningMonitoringOf(
    loaded.plan.name,
  );
  if (monitoring)
    return (
      `the ${loaded.plan.monitoring.duration} monitoring of plan ` +
      `${loaded.plan.name} is running and can still roll it back: ` +
      `${monitoring} (wait for its end, or end it first)`
    );
  return undefined;
}

/** At every end, cancelled or not. A release that fails is only logged: the next taker sees this run closed. */
export async function releasePlanLocks(held: string[]): Promise<void> {
  if (!held.length) return;
  await CancellationScope.nonCancellable(() =>
    act('quick', 'Release the plan and endpoint locks')
      .releasePlanLocks(held, me())
      .catch((err: unknown) =>
        log.warn(`locks not released (the next cutover takes them over): ${failureMessage(err)}`),
      ),
  );
}
