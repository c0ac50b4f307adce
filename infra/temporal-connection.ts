/**
 * Connection settings from @temporalio/envconfig: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, or a TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE).
 * Nothing set means the local dev server: localhost:7233, namespace "default".
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export function connectConfig() {
  const config = loadClientConnectConfig();
  const address = config.connectionOptions.address ?? 'localhost:7233';
  return {
    connectionOptions: { ...config.connectionOptions, address },
    namespace: config.namespace ?? 'default',
  };
}

export async function connectClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const { connectionOptions, namespace } = connectConfig();
  const connection = await Connection.connect(connectionOptions);
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}

export async function connectWorker(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = connectConfig();
  return { connection: await NativeConnection.connect(connectionOptions), namespace };
}
