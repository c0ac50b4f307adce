/** `--listen HOST:PORT` read and checked: loopback unless the user says otherwise. */
import net from 'node:net';
import { CliError, EXIT } from '../exit-codes';

export const isLoopback = (host: string) =>
  host === '::1' || (net.isIPv4(host) && host.startsWith('127.')) || host === 'localhost';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(value: string, allowRemote: boolean): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new CliError(
      `--listen ${value}: expected HOST:PORT such as 127.0.0.1:8090 (or [::1]:8090; port 0 picks a free one)`,
      EXIT.BAD_INPUT,
    );
  const host = (m[1] ?? m[2])!;
  if (!isLoopback(host) && !allowRemote)
    throw new CliError(
      `--listen ${value}: ${host} is not a loopback address, and the page shows every cutover in the ` +
        `namespace to whoever reaches it. Keep it on 127.0.0.1 behind an authenticating proxy ` +
        `(docs/operations/dashboard.md), or add --allow-remote if the network itself is trusted`,
      EXIT.BAD_INPUT,
    );
  return { host, port };
}
