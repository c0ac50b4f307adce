/**
 * Many cutovers at once, safely: before anything else a cutover takes one lock per key of its
 * plan (domain/lock-keys.ts) by starting a child `cutoverLockWorkflow` whose workflow id *is*
 * the key. The server allows one running workflow per id, so the start is an atomic test-and-set
 * that holds whoever starts the cutover (our CLI, the UI, the `temporal` CLI). The children use
 * ParentClosePolicy.TERMINATE: the server releases them when the cutover closes for any reason —
 * SUCCESS, ABORTED, after its rollback, FAILED, even terminated by hand — so a lock never outlives
 * its holder and nothing has to remember to release it.
 */
import { ParentClosePolicy, condition, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import { lockKeys, lockSubject } from '../domain/lock-keys';
import { act } from './activity-proxies';

export interface LockInput {
  holder: string;
}

/** Held while it runs; released when its parent closes. Started by hand (no parent) it holds nothing. */
export async function cutoverLockWorkflow(input: LockInput): Promise<string> {
  if (!workflowInfo().parent) return 'not a lock: a lock is only taken by a cutover (it has no parent)';
  await condition(() => false);
  return `released by ${input?.holder}`;
}

/**
 * Takes every lock of the plan; undefined when all are held by this cutover, else why not (with
 * the id of the one that holds it). A running monitoring of the plan holds it too: it can still
 * roll back the service, which must not happen under a second cutover.
 */
export async function acquirePlanLocks(loaded: LoadedPlan, cutoverId: string): Promise<string | undefined> {
  const keys = lockKeys(loaded.plan);
  const results = await Promise.all(
    keys.map((key) =>
      startChild(cutoverLockWorkflow, {
        workflowId: key,
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        staticSummary: `lock of ${lockSubject(key)}, held by ${cutoverId}`,
        args: [{ holder: cutoverId }],
      }).then(
        () => undefined,
        (err: unknown) => {
          if (err instanceof WorkflowExecutionAlreadyStartedError) return key;
          throw err;
        },
      ),
    ),
  );
  const taken = results.find((k) => k !== undefined);
  const locks = act('quick', 'Who holds the plan');
  if (taken) {
    const holder = await locks.lockHolder(taken);
    const what = taken === keys[0] ? `another cutover of plan ${loaded.plan.name} is running` : `another cutover of ${lockSubject(taken)} is running`;
    return `${what}: ${holder}`;
  }
  const monitoring = await locks.runningMonitoringOf(loaded.plan.name);
  if (monitoring) return `the 24-hour monitoring of plan ${loaded.plan.name} is running and can still roll it back: ${monitoring} (wait for its end, or end it first)`;
  return undefined;
}
