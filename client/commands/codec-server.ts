/** `cutover codec-server`: decrypts payloads for the Temporal Web UI and the `temporal` CLI (`--codec-endpoint`). */
import type { Command } from 'commander';
import { createLogger } from '../../infra/logger';
import {
  CODEC_KEY_FILE_ENV,
  CODEC_KEYS_ENV,
  CODEC_SERVER_OIDC_AUDIENCE_ENV,
  CODEC_SERVER_OIDC_ISSUER_ENV,
  CODEC_SERVER_TOKEN_ENV,
  CodecConfigError,
} from '../../infra/codec-config';
import { createCodecServer } from '../../infra/codec-server';
import { codecServerAuthFromEnv } from '../../infra/codec-server-auth';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { cliDataConverter } from '../with-client';
import { CliError, EXIT } from '../exit-codes';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerCodecServer(program: Command) {
  program
    .command('codec-server')
    .description(
      `serve the payload codec over HTTP (POST /encode, /decode) for ` +
        `the Web UI (--ui-codec-endpoint, or its Data Encoder setting) ` +
        `and the temporal CLI (--codec-endpoint). Keys: ${CODEC_KEYS_ENV} or ${CODEC_KEY_FILE_ENV}; ` +
        `with ${CODEC_SERVER_TOKEN_ENV} set, requests need "Authorization: Bearer <token>" (temporal --codec-auth); ` +
        `with ${CODEC_SERVER_OIDC_ISSUER_ENV} and ${CODEC_SERVER_OIDC_AUDIENCE_ENV}, ` +
        `an access token from that issuer (the Web UI's login) is accepted`,
    )
    .option('--port <n>', 'port to listen on', '8888')
    .option('--host <ip>', 'address to bind (keep it private: whoever reaches it reads every payload)', '127.0.0.1')
    .option('--origin <url>', 'a UI origin allowed to call from the browser (repeatable)', collect)
    .action(async (opts: { port: string; host: string; origin?: string[] }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError(`--port ${opts.port}: expected a port number such as 8888`, EXIT.BAD_INPUT);
      const codec = cliDataConverter()?.payloadCodecs?.[0];
      if (!(codec instanceof AesGcmPayloadCodec)) {
        throw new CliError(
          `no codec keys: set ${CODEC_KEYS_ENV} ("k1:$(openssl rand ` +
            `-base64 32)") or ${CODEC_KEY_FILE_ENV}, the same as the worker's`,
          EXIT.BAD_INPUT,
        );
      }
      const origins = opts.origin?.length ? opts.origin : ['http://localhost:8233', 'http://127.0.0.1:8233'];
      for (const o of origins) {
        if (!/^https?:\/\/[^/]+\/?$/.test(o))
          throw new CliError(`--origin ${o}: expected a scheme and host such as http://localhost:8233`, EXIT.BAD_INPUT);
      }
      const logger = createLogger('codec-server');
      let auth;
      try {
        auth = codecServerAuthFromEnv();
      } catch (err) {
        if (err instanceof CodecConfigError) throw new CliError(err.message, EXIT.BAD_INPUT);
        throw err;
      }
      const server = createCodecServer({ codec, origins, auth, logger });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err) => reject(new CliError(`cannot listen on ${opts.host}:${port}: ${err.message}`)));
        server.listen(port, opts.host, () => resolve());
      });
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      // stdout: the endpoint, for scripts that start it with --port 0
      console.log(`codec server listening on http://${opts.host}:${actual}`);
      logger.info({ origins, keyId: codec.currentKeyId, auth: auth?.describe ?? 'none' }, 'codec server ready');
      if (!auth && !['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
        logger.warn(
          `listening on ${opts.host} without ${CODEC_SERVER_TOKEN_ENV} or ${CODEC_SERVER_OIDC_ISSUER_ENV}: ` +
            `anyone who reaches this port reads every payload`,
        );
      }
      const stop = () => {
        server.close(() => process.exit(0));
        server.closeAllConnections(); // the UI keeps connections alive
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
