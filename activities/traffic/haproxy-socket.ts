/**
 * HAProxy's runtime API over its admin socket: one connection per command line (HAProxy's
 * non-interactive mode answers and closes), and `show servers state` parsed by its header.
 */
import net from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../failure-types';

const TIMEOUT_MS = 5_000;

/** Sends one line (commands separated by ";") and returns everything HAProxy answered. */
export function haproxyCommand(socket: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socket);
    let out = '';
    const timer = setTimeout(() => conn.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.end(`${line}\n`));
    conn.on('data', (d: string) => (out += d));
    conn.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = err.code === 'ENOENT' || err.code === 'ECONNREFUSED';
      const message =
        `traffic.socket ${socket}: ${err.code ?? err.message}` +
        (missing ? ': is HAProxy running with "stats socket <path> level admin"?' : '') +
        ``;
      // A missing socket may be a HAProxy restarting: retryable; anything else too (a timeout).
      reject(ApplicationFailure.retryable(message, FailureType.InvalidTrafficConfig));
    });
    conn.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

export interface ServerRow {
  name: string;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping */
  op: number;
  /**
   * srv_admin_state bit field: 0x01|0x02|0x20|0x40 maintenance (0x04 only remembers "disabled" in the config),
   * 0x08|0x10 drain
   */
  admin: number;
  /** srv_uweight */
  weight: number;
}

/** Rows of `show servers state <backend>` by server name. */
export function parseServersState(text: string): Map<string, ServerRow> {
  const lines = text.split('\n').filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith('#'));
  if (!header) throw new Error(`not a "show servers state" answer: ${text.slice(0, 200)}`);
  const cols = header.replace(/^#\s*/, '').split(/\s+/);
  const at = (name: string) => cols.indexOf(name);
  const rows = new Map<string, ServerRow>();
  for (const line of lines.slice(lines.indexOf(header) + 1)) {
    const f = line.split(/\s+/);
    rows.set(f[at('srv_name')], {
      name: f[at('srv_name')],
      op: Number(f[at('srv_op_state')]),
      admin: Number(f[at('srv_admin_state')]),
      weight: Number(f[at('srv_uweight')]),
    });
  }
  return rows;
}

export const adminOf = (admin: number): 'ready' | 'drain' | 'maint' =>
  admin & 0x63 ? 'maint' : admin & 0x18 ? 'drain' : 'ready';
