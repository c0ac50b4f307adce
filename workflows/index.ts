/**
 * The workflows the worker registers, and how each behaves across worker builds (Worker
 * Versioning, worker/deployment.ts). A cutover, its rollback and a validation run
 * stay PINNED to the build that started them: a new build never replays a half-done cutover. A
 * monitoring is pinned too, and moves to the current build at its next continue-as-new
 * (workflows/monitoring.ts), so a 24-hour loop does not keep an old build alive.
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import { cutoverWorkflow } from './cutover';
import { rollbackWorkflow } from './rollback';
import { monitoringWorkflow } from './monitoring';
import { validationWorkflow } from './validation';

const all: ((...args: never[]) => Promise<unknown>)[] = [cutoverWorkflow, rollbackWorkflow, monitoringWorkflow, validationWorkflow];
for (const workflow of all) {
  setWorkflowOptions({ versioningBehavior: 'PINNED' }, workflow);
}

export { cutoverWorkflow, rollbackWorkflow, monitoringWorkflow, validationWorkflow };
