/** The workflows the worker registers. */
export { cutoverWorkflow } from './cutover';
export { rollbackWorkflow } from './rollback';
export { monitoringWorkflow } from './monitoring';
export { validationWorkflow } from './validation';
