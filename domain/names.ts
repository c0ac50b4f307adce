/** Names shared by the worker, the client and the workflows: defined once so they never drift. */
export const TASK_QUEUE = 'cutover';

export const workflowIds = {
  cutover: (plan: string, stamp: string) => `cutover-${plan}-${stamp}`,
  rollback: (cutoverId: string) => `${cutoverId}-rollback`,
  monitoring: (cutoverId: string) => `${cutoverId}-monitoring`,
  validation: (plan: string, stamp: string) => `validation-${plan}-${stamp}`,
} as const;

/** Custom search attributes; the dev-server script registers the same list. */
export const SEARCH_ATTRIBUTES = {
  phase: 'CutoverPhase',
  status: 'CutoverStatus',
  plan: 'CutoverPlan',
} as const;
