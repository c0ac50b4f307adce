/**
 * The two reads behind a refused lock (workflows/plan-lock.ts), through the worker's own client:
 * who holds a lock, and whether a monitoring of the plan still runs (it owns its rollback).
 */
import { Context, log } from '@temporalio/activity';

/** The cutover holding lock workflow `lockId`: its parent. */
export async function lockHolder(lockId: string): Promise<string> {
  const description = await Context.current().client.workflow.getHandle(lockId).describe();
  const holder = description.parentExecution?.workflowId ?? '(unknown: the lock has no parent)';
  return description.status.name === 'RUNNING' ? holder : `${holder} (it ended a moment ago: start again)`;
}

/** The id of a running monitoring of `plan`, from visibility (CutoverPlan is set as it starts). */
export async function runningMonitoringOf(plan: string): Promise<string | undefined> {
  // plan names are [A-Za-z0-9_.-] (plan schema), so quoting cannot be broken out of
  const query = `WorkflowType = 'monitoringWorkflow' AND ExecutionStatus = 'Running' AND CutoverPlan = '${plan.replace(/'/g, '')}'`;
  try {
    for await (const wf of Context.current().client.workflow.list({ query })) return wf.workflowId;
  } catch (err) {
    // A server without visibility queries (the time-skipping test server) cannot say; the plan
    // and endpoint locks still hold, only a running monitoring goes unseen. Said in the log.
    log.warn(`cannot look for a running monitoring of plan ${plan}: ${(err as Error).message}`);
  }
  return undefined;
}
