import type { Client } from '@temporalio/client';
import { connectClient, connectConfig } from '../infra/temporal-connection';
import { CliError } from './exit-codes';

/** Opens a connection for one command and always closes it; an unreachable server is told plainly. */
export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  let connection: Awaited<ReturnType<typeof connectClient>>;
  try {
    connection = await connectClient();
  } catch (err) {
    const { connectionOptions, namespace } = connectConfig();
    throw new CliError(
      `cannot reach Temporal at ${connectionOptions.address} (namespace ${namespace}): ${(err as Error).message}. ` +
        'Start the local dev server with scripts/dev-server.sh, or set TEMPORAL_ADDRESS / TEMPORAL_PROFILE.',
    );
  }
  try {
    return await fn(connection.client);
  } finally {
    await connection.close();
  }
}

