/**
 * What a cutover locks while it runs: its plan (by name) and the endpoint of each service
 * (host and port of its baseUrl), so a second plan that names the same service under another
 * name is refused too. Each key is the id of a lock workflow in the lock namespace; Temporal
 * refuses a second running workflow with the same id, which makes its start an atomic test-and-set.
 */
import type { Plan } from './plan-schema';

export const LOCK_PREFIX = 'cutover-lock:';
/** Lock workflows never run: nobody polls this queue, and no worker registers the type. */
export const LOCK_TASK_QUEUE = 'cutover-locks-never-polled';
export const LOCK_WORKFLOW_TYPE = 'cutoverLock';

/**
 * Where the locks live: their own namespace, so the cutover's namespace (the UI's list) holds no
 * lock rows. `<namespace>-locks` unless CUTOVER_LOCK_NAMESPACE names another.
 */
export function lockNamespace(namespace: string, override?: string): string {
  return override?.trim() || `${namespace}-locks`;
}

/** host:port of a URL, with the scheme's default port; the URL was validated by the plan schema. */
function endpointOf(baseUrl: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(baseUrl);
  if (!m) return baseUrl;
  const port = m[3] ?? (m[1].toLowerCase() === 'https' ? '443' : '80');
  return `${m[2].toLowerCase()}:${port}`;
}

/** Lock ids for a plan, plan first; `host` (when the plan names one) qualifies a loopback address. */
export function lockKeys(plan: Plan): string[] {
  const keys = [`${LOCK_PREFIX}plan:${plan.name}`];
  for (const role of ['v1', 'v2'] as const) {
    const service = plan.services[role] as { baseUrl: string; host?: string };
    const key = `${LOCK_PREFIX}endpoint:${service.host ? `${service.host}/` : ''}${endpointOf(service.baseUrl)}`;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** What a lock protects, for the refusal message. */
export function lockSubject(key: string): string {
  const rest = key.slice(LOCK_PREFIX.length);
  return rest.startsWith('plan:') ? `plan ${rest.slice(5)}` : `a service at ${rest.slice(9)}`;
}
