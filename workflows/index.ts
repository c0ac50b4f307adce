/**
 * The workflows the worker registers. How each behaves across worker builds is set by the
 * worker, not here (worker/deployment.ts): a versioned worker starts every run PINNED to its
 * build, so a new build never replays a half-done cutover, and a monitoring moves to the current
 * build at its next continue-as-new (workflows/monitoring.ts). A per-workflow behaviour would
 * fail every workflow task on an unversioned worker (CUTOVER_WORKER_VERSIONING=0, tests).
 */
export { cutoverWorkflow } from './cutover';
export { rollbackWorkflow } from './rollback';
export { monitoringWorkflow } from './monitoring';
export { validationWorkflow } from './validation';
