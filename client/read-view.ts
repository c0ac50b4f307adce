/**
 * A workflow's status view. A finished cutover or monitoring returns its view as its result (or,
 * for an outcome other than its success, as the details of the typed failure it ends with), so
 * reading it needs no worker to replay the history (a query on a closed workflow does, and fails
 * while the worker is down or busy); a running one answers the `status` query.
 */
import type { Client } from '@temporalio/client';
import { viewOrThrow } from '../domain/outcome';

export async function readView<T>(client: Client, id: string): Promise<T> {
  const handle = client.workflow.getHandle(id);
  const { status } = await handle.describe();
  if (status.name === 'COMPLETED' || status.name === 'FAILED') return handle.result().catch(viewOrThrow<T>) as Promise<T>;
  return handle.query<T>('status');
}
