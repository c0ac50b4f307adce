/**
 * The plan and endpoint locks (workflows/plan-lock.ts). A lock is a workflow whose id is the key,
 * started in the lock namespace on a task queue nobody polls: the server allows one running
 * workflow per id, so the start is an atomic test-and-set, and since the lock never runs it costs
 * nothing and shows in no list of the cutover's namespace. The holder (workflow id and run id)
 * is in its memo. Released by the cutover at every end it reaches; a holder that closed without
 * releasing (terminated, reset) no longer holds: the next taker finds it closed, ends that lock
 * by its run id and takes the key. Through the worker's own connection.
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  Client,
  NamespaceNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { FailureType } from '../domain/failure-types';
import { LOCK_TASK_QUEUE, LOCK_WORKFLOW_TYPE, lockNamespace, lockSubject } from '../domain/lock-keys';

export interface LockHolder {
  workflowId: string;
  runId: string;
}

/** A key this cutover could not take, and who holds it. */
export interface LockRefusal {
  key: string;
  holder: string;
}

function lockClient(): { client: Client; namespace: string } {
  const ctx = Context.current();
  const namespace = lockNamespace(ctx.info.namespace, process.env.CUTOVER_LOCK_NAMESPACE);
  return { client: new Client({ connection: ctx.client.connection, namespace }), namespace };
}

function missingNamespace(err: unknown, namespace: string): never {
  if (err instanceof NamespaceNotFoundError) {
    throw ApplicationFailure.nonRetryable(
      `the lock namespace "${namespace}" does not exist: create it ` +
        `(temporal operator namespace create --namespace ${namespace}) ` +
        `or point CUTOVER_LOCK_NAMESPACE at one the worker may use`,
      FailureType.InvalidLockConfig,
    );
  }
  throw err;
}

async function holderOf(client: Client, key: string): Promise<{ runId: string; holder?: LockHolder } | undefined> {
  try {
    const d = await client.workflow.getHandle(key).describe();
    if (d.status.name !== 'RUNNING') return undefined;
    return { runId: d.runId, holder: d.memo?.holder as LockHolder | undefined };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Whether the holder's run is still open, in the cutover's own namespace. */
async function holderRuns(holder: LockHolder): Promise<boolean> {
  try {
    const d = await Context.current().client.workflow.getHandle(holder.workflowId, holder.runId).describe();
    return d.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Takes one key; undefined when `me` holds it now (also on a retry that already took it). */
async function takeOne(client: Client, key: string, me: LockHolder): Promise<LockRefusal | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await client.workflow.start(LOCK_WORKFLOW_TYPE, {
        taskQueue: LOCK_TASK_QUEUE,
        workflowId: key,
        memo: { holder: me },
        // No workflow task until the delay: nothing pending that a poller could be missing, and
        // the time-skipping test server (which waits on pending tasks) keeps skipping.
        startDelay: '3650d',
        staticSummary: `lock of ${lockSubject(key)}, held by ${me.workflowId}`.slice(0, 200),
      });
      return undefined;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const lock = await holderOf(client, key);
    if (!lock) continue; // released meanwhile: try again
    const holder = lock.holder;
    if (holder && holder.workflowId === me.workflowId && holder.runId === me.runId) return undefined;
    if (holder && (await holderRuns(holder))) return { key, holder: holder.workflowId };
    // Its holder closed without releasing it (terminated by hand): end that lock, by run id, so a
    // racing taker that got there first is never ended by us.
    log.warn(`lock ${key}: its holder ${holder?.workflowId ?? '(unknown)'} has ended; taking it over`);
    await client.workflow
      .getHandle(key, lock.runId)
      .terminate(`holder ${holder?.workflowId ?? '(unknown)'} ended without releasing it`)
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
  throw new Error(`lock ${key}: taken and released over and over while trying to take it; try again`);
}

/**
 * Takes every key for `me`, or none: on the first key held by a running cutover it gives back
 * those it took and says which key and who holds it.
 */
export async function takePlanLocks(keys: string[], me: LockHolder): Promise<LockRefusal | undefined> {
  const { client, namespace } = lockClient();
  const taken: string[] = [];
  try {
    for (const key of keys) {
      const refused = await takeOne(client, key, me);
      if (refused) {
        await releasePlanLocks(taken, me);
        return refused;
      }
      taken.push(key);
    }
    return undefined;
  } catch (err) {
    return missingNamespace(err, namespace);
  }
}

/** Ends each lock `me` holds; one held by another (or none) is left alone. Idempotent. */
export async function releasePlanLocks(keys: string[], me: LockHolder): Promise<void> {
  const { client, namespace } = lockClient();
  try {
    for (const key of keys) {
      const lock = await holderOf(client, key);
      if (!lock || lock.holder?.workflowId !== me.workflowId || lock.holder.runId !== me.runId) continue;
      await client.workflow
        .getHandle(key, lock.runId)
        .terminate(`released by ${me.workflowId}`)
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
    }
  } catch (err) {
    missingNamespace(err, namespace);
  }
}

/** The id of a running monitoring of `plan`, from visibility (CutoverPlan is set as it starts). */
export async function runningMonitoringOf(plan: string): Promise<string | undefined> {
  // plan names are [A-Za-z0-9_.-] (plan schema), so quoting cannot be broken out of
  const query =
    `WorkflowType = 'monitoringWorkflow' AND ExecutionStatus = ` +
    `'Running' AND CutoverPlan = '${plan.replace(/'/g, '')}'`;
  try {
    for await (const wf of Context.current().client.workflow.list({ query })) return wf.workflowId;
  } catch (err) {
    // A server without visibility queries (the time-skipping test server) cannot say; the plan
    // and endpoint locks still hold, only a running monitoring goes unseen. Said in the log.
    log.warn(`cannot look for a running monitoring of plan ${plan}: ${(err as Error).message}`);
  }
  return undefined;
}
