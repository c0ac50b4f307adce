/** `cutover dashboard`: a read-only live page of running and recent cutovers, for a wall screen. */
import type { Command } from 'commander';
import { createLogger } from '../../infra/logger';
import { parseDuration } from '../../domain/duration';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';
import { createDashboardServer } from '../dashboard/dashboard-server';
import { isLoopback, parseListen } from '../dashboard/dashboard-listen';

export function registerDashboard(program: Command) {
  program
    .command('dashboard')
    .description(
      'serve a read-only live page of running and recent cutovers and monitorings: phases, the ' +
        'checkpoint table, charts, what is next, who still has to sign and how, links to the ' +
        'Temporal UI. Reads through the same connection and codec keys as the other commands',
    )
    .option('--listen <host:port>', 'address to serve on (loopback unless --allow-remote)', '127.0.0.1:8090')
    .option('--allow-remote', 'allow a non-loopback --listen (the page has no login: put a proxy in front)')
    .option('--limit <n>', 'runs listed at most, running first then the newest', '100')
    .option('--every <duration>', 'how often the page refreshes', '2s')
    .action(async (opts: { listen: string; allowRemote?: boolean; limit: string; every: string }) => {
      const { host, port } = parseListen(opts.listen, !!opts.allowRemote);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new CliError(`--limit ${opts.limit}: expected a whole number from 1 to 1000`, EXIT.BAD_INPUT);
      let everyMs: number;
      try {
        everyMs = parseDuration(opts.every);
      } catch {
        everyMs = NaN;
      }
      if (!(everyMs >= 500))
        throw new CliError(`--every ${opts.every}: expected a duration of at least 500ms, such as 2s`, EXIT.BAD_INPUT);
      const logger = createLogger('dashboard');
      await withClient(async (client) => {
        const server = createDashboardServer({ client, limit, everyMs, logger, loopbackOnly: isLoopback(host) });
        await new Promise<void>((resolve, reject) => {
          server.once('error', (err) => reject(new CliError(`cannot listen on ${opts.listen}: ${err.message}`)));
          server.listen(port, host, () => resolve());
        });
        const address = server.address();
        const actual = typeof address === 'object' && address ? address.port : port;
        // stdout: the address, for scripts that start it with port 0
        console.log(`dashboard listening on http://${host.includes(':') ? `[${host}]` : host}:${actual}`);
        if (!isLoopback(host))
          logger.warn(`listening on ${host}: anyone who reaches this port sees every cutover in the namespace`);
        // the connection stays open while the page is served; closed by withClient on the way out
        await new Promise<void>((resolve) => {
          const stop = () => {
            server.close(() => resolve());
            server.closeAllConnections();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}
