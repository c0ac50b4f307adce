/** `cutover alert-webhook`: Alertmanager's webhook receiver that rolls back the plan an alert names. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { createLogger } from '../../infra/logger';
import { codecServerAuth } from '../../infra/codec-server-auth';
import { createAlertWebhookServer } from '../alert-webhook-server';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';

export const ALERT_TOKEN_ENV = 'CUTOVER_ALERT_TOKEN';
const collect = (value: string, previous: string[] = []) => [...previous, value];

function tokenOf(opts: { tokenFile?: string }): string {
  if (opts.tokenFile) {
    let text: string;
    try {
      text = fs.readFileSync(opts.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new CliError(`--token-file ${opts.tokenFile}: ${(err as Error).message}`, EXIT.BAD_INPUT);
    }
    if (!text)
      throw new CliError(`--token-file ${opts.tokenFile}: the file is empty; put the token in it`, EXIT.BAD_INPUT);
    return text;
  }
  const token = process.env[ALERT_TOKEN_ENV]?.trim();
  if (!token)
    throw new CliError(
      `no token: set ${ALERT_TOKEN_ENV} (e.g. $(openssl rand -hex 32)) or --token-file FILE, and give Alertmanager ` +
        `the same one (http_config.authorization.credentials)`,
      EXIT.BAD_INPUT,
    );
  return token;
}

export function registerAlertWebhook(program: Command) {
  program
    .command('alert-webhook')
    .description(
      'receive Alertmanager webhooks on POST /alerts: a firing alert labelled cutover_plan (or cutover_id) with ' +
        'a listed severity sends the rollback signal to that plan’s running monitoring or cutover. ' +
        `Requests need "Authorization: Bearer <token>" (${ALERT_TOKEN_ENV} or --token-file)`,
    )
    .option('--listen <host:port>', 'address to bind', '127.0.0.1:9095')
    .option(
      '--severity <name>',
      'an alert severity (label "severity") that rolls back (repeatable; default critical)',
      collect,
    )
    .option('--token-file <file>', `a file holding the shared token (instead of ${ALERT_TOKEN_ENV})`)
    .action(async (opts: { listen: string; severity?: string[]; tokenFile?: string }) => {
      const match = /^([^\s:]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(opts.listen);
      if (!match || Number(match[2]) > 65535)
        throw new CliError(`--listen ${opts.listen}: expected HOST:PORT, e.g. 127.0.0.1:9095`, EXIT.BAD_INPUT);
      const severities = opts.severity?.length ? opts.severity : ['critical'];
      const auth = codecServerAuth({ token: tokenOf(opts) })!;
      const logger = createLogger('alert-webhook');
      await withClient(async (client) => {
        const server = createAlertWebhookServer({ client, severities, auth, logger });
        const host = match[1].replace(/^\[|\]$/g, '');
        await new Promise<void>((resolve, reject) => {
          server.once('error', (err) => reject(new CliError(`cannot listen on ${opts.listen}: ${err.message}`)));
          server.listen(Number(match[2]), host, () => resolve());
        });
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : Number(match[2]);
        // stdout: the endpoint, for scripts that start it on port 0
        console.log(`alert webhook listening on http://${opts.listen.replace(/:\d+$/, `:${port}`)}/alerts`);
        logger.info({ severities }, 'alert webhook ready');
        await new Promise<void>((resolve) => {
          const stop = () => server.close(() => resolve());
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}
