import type { Client } from '@temporalio/client';
import { connectClient } from '../infra/temporal-connection';

/** Opens a connection for one command and always closes it. */
export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, close } = await connectClient();
  try {
    return await fn(client);
  } finally {
    await close();
  }
}
