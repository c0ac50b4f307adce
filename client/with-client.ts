import { Client, type DataConverter } from '@temporalio/client';
import { connectClient, connectConfig } from '../infra/temporal-connection';
import { CODEC_KEY_FILE_ENV, CODEC_KEYS_ENV, CodecConfigError } from '../infra/codec-config';
import { codecDataConverter } from '../infra/payload-codec';
import { CliError, EXIT } from './exit-codes';

/** The codec's data converter when keys are configured (the same as the worker's), told plainly when they are wrong. */
export function cliDataConverter(): DataConverter | undefined {
  try {
    return codecDataConverter();
  } catch (err) {
    if (err instanceof CodecConfigError) throw new CliError(err.message, EXIT.BAD_INPUT);
    throw err;
  }
}

/** Opens a connection for one command and always closes it; an unreachable server is told plainly. */
export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  // before connecting: a bad key is a config error, not a connection problem
  const dataConverter = cliDataConverter();
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
    // Same connection; with the codec, inputs are encrypted and results decrypted like the worker's.
    const { client } = connection;
    return await fn(
      dataConverter
        ? new Client({ connection: client.connection, namespace: client.options.namespace, dataConverter })
        : client,
    );
  } catch (err) {
    // the SDK's own words ("Unknown encoding: binary/encrypted") do not say what to do
    if (!dataConverter && /binary\/encrypted/.test(String((err as Error)?.message))) {
      throw new CliError(
        `this workflow's payloads are encrypted: set ${CODEC_KEYS_ENV} ` +
          `or ${CODEC_KEY_FILE_ENV} to the worker's codec keys`,
        EXIT.BAD_INPUT,
      );
    }
    throw err;
  } finally {
    await connection.close();
  }
}
