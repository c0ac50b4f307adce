/** Names shared by the worker, the client and the workflows: defined once so they never drift. */
export const TASK_QUEUE = 'cutover';
/** The task queue of a host agent (`cutover worker --host NAME`): only that machine's steps. */
export const hostQueue = (host: string) => `cutover-host-${host}`;

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

/**
 * A workflow id as part of a file name: the UI, the `temporal` CLI and `cutover start --id`
 * accept any string, so "../x" or "a/b" must never climb out of (or into a subfolder of) the
 * folder it is written to. Safe ids pass through unchanged, so existing file names stay stable.
 */
export function safeSlug(id: string, fallback = 'unnamed'): string {
  const slug = id
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/\.{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 160);
  return slug || fallback;
}

/** Why an id given on the command line is refused, or undefined when it is fine as it is. */
export function unsafeIdReason(id: string): string | undefined {
  if (!id.trim()) return 'it is empty';
  if (/[/\\]/.test(id)) return 'it contains a path separator ("/" or "\\")';
  if (id.includes('..')) return 'it contains ".."';
  if (/[\u0000-\u001f]/.test(id)) return 'it contains a control character';
  return undefined;
}
