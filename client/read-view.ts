/**
 * Any of our workflows as the server knows it (describe), never a closed run shown as live. A
 * finished run returns its view as its result, so reading it needs no worker to replay the
 * history (a query on a closed workflow does, and fails while the worker is down or busy); a
 * running one answers the `status` query. A run that ended otherwise (terminated, cancelled,
 * failed, timed out) has no final view: it is told how it ended, by whom, and the last state it
 * published in its search attributes.
 */
import { Client, WorkflowFailedError, type WorkflowExecutionDescription } from '@temporalio/client';
import { LOCK_PREFIX, LOCK_WORKFLOW_TYPE, lockNamespace } from '../domain/lock-keys';
import { outcomeView } from '../domain/outcome';
import { phaseKey, statusKey } from '../domain/search-attributes';
import { newestEvent } from '../infra/history-events';

/** How a run ended when it did not return a view of its own. */
export interface ClosedRun {
  /** the execution's status: TERMINATED, CANCELED, FAILED, TIMED_OUT… */
  status: string;
  /** close time, ISO UTC */
  at: string;
  by?: string;
  reason?: string;
  /** CutoverStatus (and CutoverPhase) as last published: what it was doing when it ended */
  lastState?: string;
}

export interface WorkflowRead<T> {
  workflowId: string;
  /** cutoverWorkflow, monitoringWorkflow, rollbackWorkflow, validationWorkflow, cutoverLock */
  type: string;
  running: boolean;
  /** its final result, or its live `status` answer; absent for a run that ended without one */
  view?: T;
  closed?: ClosedRun;
  /** the workflow that started it (a lock's holder, a monitoring's cutover) */
  parent?: string;
}

/** Types with no `status` query (a lock never runs): described only. */
const NO_STATUS_QUERY = [LOCK_WORKFLOW_TYPE];

/**
 * A lock id lives in the lock namespace (activities/cutover-locks.ts), written without the codec;
 * every other id in the cutover's own.
 */
function clientFor(client: Client, id: string): Client {
  if (!id.startsWith(LOCK_PREFIX)) return client;
  const namespace = lockNamespace(client.options.namespace, process.env.CUTOVER_LOCK_NAMESPACE);
  return new Client({ connection: client.connection, namespace });
}

export async function readWorkflow<T>(cutoverClient: Client, id: string): Promise<WorkflowRead<T>> {
  const client = clientFor(cutoverClient, id);
  const handle = client.workflow.getHandle(id);
  const d = await handle.describe();
  const holder = (d.memo?.holder as { workflowId?: string } | undefined)?.workflowId;
  const read: WorkflowRead<T> = {
    workflowId: id,
    type: d.type,
    running: d.status.name === 'RUNNING',
    // a lock's holder is in its memo (an activity started it, not the cutover itself)
    parent: d.parentExecution?.workflowId ?? holder,
  };
  if (d.status.name === 'COMPLETED') return { ...read, view: (await handle.result()) as T };
  if (read.running) return NO_STATUS_QUERY.includes(d.type) ? read : { ...read, view: await handle.query<T>('status') };
  read.closed = await closedRun(client, d);
  // A run that ends failed with its view as the failure's details (a typed failure) still shows that view.
  if (d.status.name === 'FAILED') {
    const failed = await handle.result().then(
      () => undefined,
      (err: unknown) => {
        // a failure the client cannot decode (encrypted, no keys) is told as such, not as an ending
        if (!(err instanceof WorkflowFailedError)) throw err;
        return err;
      },
    );
    if (failed) {
      read.view = outcomeView<T>(failed);
      // the view says why; history's own message is only "Encoded failure" (the real one travels encoded)
      if (read.view !== undefined) read.closed.reason = undefined;
      else if (failed.cause?.message) read.closed.reason = failed.cause.message;
    }
  }
  return read;
}

/** The view of a run, or a ClosedRunError saying how it ended when it left none. */
export async function readView<T>(client: Client, id: string): Promise<T> {
  const read = await readWorkflow<T>(client, id);
  if (read.view === undefined) throw new ClosedRunError(id, read.closed);
  return read.view;
}

export class ClosedRunError extends Error {
  constructor(
    readonly workflowId: string,
    readonly closed: ClosedRun | undefined,
  ) {
    super(closed ? closedLine(closed) : `${workflowId} has no status to show (it answers no status query)`);
  }
}

/** "TERMINATED at 2026-12-03 08:50:12 UTC by temporal-cli:alice@ops: window closed (last state: MONITORING)" */
export function closedLine(c: ClosedRun): string {
  const at = `${c.at.replace('T', ' ').slice(0, 19)} UTC`;
  const last = c.lastState ? ` (last state: ${c.lastState})` : '';
  return `${c.status} at ${at}${c.by ? ` by ${c.by}` : ''}${c.reason ? `: ${c.reason}` : ''}${last}`;
}

async function closedRun(client: Client, d: WorkflowExecutionDescription): Promise<ClosedRun> {
  const status = d.typedSearchAttributes.get(statusKey);
  const phase = d.typedSearchAttributes.get(phaseKey);
  const closed: ClosedRun = {
    status: d.status.name,
    at: (d.closeTime ?? new Date()).toISOString(),
    lastState: status ? `${status}${phase && phase !== 'monitoring' ? `, phase ${phase}` : ''}` : undefined,
  };
  // Who ended it and why, from the events that say so (the newest ones: no full history read).
  const how = await newestEvent(client, { workflowId: d.workflowId, runId: d.runId }, (e) => {
    const terminated = e.workflowExecutionTerminatedEventAttributes;
    if (terminated) return { by: terminated.identity || undefined, reason: terminated.reason || undefined };
    const failed = e.workflowExecutionFailedEventAttributes;
    if (failed) return { reason: failed.failure?.message || undefined };
    const cancel = e.workflowExecutionCancelRequestedEventAttributes;
    if (cancel) return { by: cancel.identity || undefined, reason: cancel.cause || undefined };
    if (e.workflowExecutionTimedOutEventAttributes) return { reason: 'ran past its execution timeout' };
    return undefined;
  }).catch(() => undefined);
  return { ...closed, by: how?.by, reason: how?.reason };
}
