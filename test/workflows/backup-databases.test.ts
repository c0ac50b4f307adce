/**
 * Backups of real data on the dev server: the orders service with its rows in a real PostgreSQL
 * (a table this test creates). Phase 1 and the final snapshot dump the table (postgres driver, or
 * the test's own scripts through the command driver); V2 "corrupts" rows while the cutover is held
 * before Phase 5; a Phase 5 sql check sees the wrong total and the rollback restores the rows
 * exactly. A byte flipped in a dump: the rollback refuses before touching anything (FAILED,
 * notified), and `cutover backup restore` of the intact Phase 1 dump works.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { readManifest, type BackupManifest } from '../../activities/backup-manifest';
import { startService } from '../../activities/service-control';
import { loadInlinePlan } from '../../activities/plan-loader';
import { viewOrThrow } from '../../domain/outcome';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { atHold, startCutover, waitForStatus } from '../helpers/cutover-runner';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { serverBinForPgDump, startPostgres, type TestPostgres } from '../helpers/postgres';
import { isUp, REPO } from '../helpers/demo-fixture';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let db: TestPostgres;
let fixture: OrdersFixture | undefined;
const ROWS = 2_000;
const REGIONS = ['east', 'west', 'north', 'south'];

beforeAll(async () => {
  env = suite.env;
  db = await startPostgres({ bin: await serverBinForPgDump() });
}, 120_000);
afterAll(async () => {
  await db?.stop();
});
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** A database of its own with the orders table; its URL in `envVar` (the worker and the CLI read it). */
async function ordersDatabase(name: string, envVar: string) {
  await db.sql(`create database ${name}`);
  const url = db.url.replace(/\/postgres$/, `/${name}`);
  process.env[envVar] = url;
  const on = async <T>(text: string): Promise<T[]> => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  };
  await on('create table orders (id int primary key, region text not null, amount numeric(12,2) not null)');
  await on(
    `insert into orders select i, (array['${REGIONS.join("','")}'])[1 + i % 4], 10 + (i * 37) % 90 + (i % 7) / 4.0 ` +
      `from generate_series(1, ${ROWS}) i`,
  );
  const rows = () => on<Record<string, string>>('select id, region, amount::text from orders order by id');
  const total = async () => (await on<{ t: string }>('select sum(amount)::text as t from orders'))[0].t;
  /** what a bad V2 does: changes, deletes and adds rows */
  const corrupt = () =>
    on(
      "update orders set amount = amount * 2 where region = 'east'; delete from orders where id % 50 = 0; " +
        "insert into orders values (100000, 'mars', 1)",
    );
  return { url, rows, total, corrupt };
}

/** The plan: the orders fixture, its data folder and/or database backed up, a Phase 5 check of the total. */
function planWith(f: OrdersFixture, envVar: string, total: string, backup: Record<string, unknown>) {
  return f.plan(
    [
      {
        name: 'orders_total',
        report: 'data_integrity',
        at: ['phase5'],
        sql: { database: 'orders', query: 'select sum(amount)::text from orders' },
        pass: `result.value == "${total}"`,
      },
    ],
    { backup: { dir: 'backups', ...backup }, databases: { orders: { urlEnv: envVar } } },
  );
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO, 'node_modules/.bin/tsx'),
      ['client/main.ts', ...args],
      { cwd: REPO, env: { ...process.env, TEMPORAL_ADDRESS: env.address } },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode ?? (err as { code?: number } | null)?.code ?? null, stdout, stderr }),
    );
  });
}

function manifests(f: OrdersFixture): Array<{ archive: string; m: BackupManifest }> {
  const dir = path.join(f.workdir, 'backups');
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.tar.gz'))
    .map((n) => ({ archive: path.join(dir, n), m: readManifest(path.join(dir, n))! }));
}
const flipByte = (file: string) => {
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  fs.writeFileSync(file, bytes);
};

async function startV1(f: OrdersFixture, plan: Record<string, unknown>) {
  await startService(loadInlinePlan(plan, f.workdir), 'v1');
}

test('files + a PostgreSQL table: a failed Phase 5 rolls both back exactly', async () => {
  const data = await ordersDatabase('orders_both', 'BACKUP_BOTH_DB_URL');
  const f = (fixture = await createOrdersFixture({ name: 'orders-both' }));
  const before = await data.rows();
  const total = await data.total();
  const dataFile = path.join(f.workdir, 'data/orders-1.json');
  const fileBefore = fs.readFileSync(dataFile);
  const plan = planWith(f, 'BACKUP_BOTH_DB_URL', total, {
    paths: ['data'],
    databases: [{ name: 'orders', driver: 'postgres', url: { env: 'BACKUP_BOTH_DB_URL' }, tables: ['public.orders'] }],
  });
  await startV1(f, plan);
  const handle = await startCutover(env.client, plan, { autoApprove: true, holdBefore: ['phase5'] });
  const view = await atHold(handle, 'phase5', async () => {
    await data.corrupt();
    fs.writeFileSync(dataFile, '[]');
  });
  expect(`${view.status} ${view.message}`).toMatch(/^ROLLED_BACK/);
  expect(view.phases.find((p) => p.id === 'phase5')!.message).toMatch(/data_integrity/);
  expect(await data.rows()).toEqual(before);
  expect(fs.readFileSync(dataFile)).toEqual(fileBefore);

  // one manifest per backup lists the dump with its sha256 and pg_restore --list TOC
  const all = manifests(f);
  expect(all).toHaveLength(2);
  for (const { m } of all) {
    expect(m.paths).toEqual(['data']);
    expect(m.parts).toEqual([
      expect.objectContaining({ name: 'orders', driver: 'postgres', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(m.parts![0].toc).toEqual(expect.arrayContaining([expect.stringMatching(/TABLE public orders /)]));
  }
}, 180_000);

test('a byte flipped in the final dump: the rollback refuses, touching nothing; backup restore of Phase 1 works', async () => {
  const data = await ordersDatabase('orders_flip', 'BACKUP_FLIP_DB_URL');
  const f = (fixture = await createOrdersFixture({ name: 'orders-flip' }));
  const before = await data.rows();
  const plan = planWith(f, 'BACKUP_FLIP_DB_URL', await data.total(), {
    paths: [],
    databases: [{ name: 'orders', driver: 'postgres', url: { env: 'BACKUP_FLIP_DB_URL' } }],
  });
  const planFile = path.join(f.workdir, 'plan.yaml');
  fs.writeFileSync(planFile, stringify(plan));
  await startV1(f, plan);
  const handle = await startCutover(env.client, plan, { autoApprove: true, holdBefore: ['phase5'] });
  await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
  const final = manifests(f).find((a) => a.m.label.endsWith('.final'))!;
  const phase1 = manifests(f).find((a) => a !== final && !a.m.label.endsWith('.final'))!;
  const finalDump = path.join(f.workdir, 'backups', final.m.parts![0].file);
  flipByte(finalDump);
  await data.corrupt();
  const corrupted = await data.rows();

  await handle.signal('rollback', { reason: 'testing a corrupt dump', by: 'alice' });
  const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(view.status).toBe('FAILED');
  expect(view.rollback!.message).toMatch(
    /^rollback refused, nothing touched: backup part "orders" \(.*\) of .* is corrupt/,
  );
  expect(await data.rows()).toEqual(corrupted);
  expect(await isUp(f.urls.v2)).toBe(true);
  const sent = fs
    .readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { severity: string; text: string });
  expect(sent).toContainEqual(
    expect.objectContaining({ severity: 'critical', text: expect.stringMatching(/REFUSED, needs a human: .*corrupt/) }),
  );

  const verify = await cli(['backup', 'verify', planFile]);
  expect(verify.code).toBe(5);
  expect(verify.stdout).toContain(`✓ ${phase1.m.label}: intact`);
  expect(verify.stdout).toMatch(new RegExp(`✗ ${final.m.label.replace(/\./g, '\\.')}: backup part "orders"`));
  const refused = await cli(['backup', 'restore', planFile, final.m.label]);
  expect(refused.code).toBe(5);
  expect(refused.stderr).toMatch(/nothing was restored/);
  expect(await data.rows()).toEqual(corrupted);

  const run = await cli(['backup', 'restore', planFile, phase1.m.label]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/restored database orders/);
  expect(await data.rows()).toEqual(before);
}, 180_000);

/** The test's own backup scripts: rows to JSON and back (in one transaction), via the pg module. */
function writeScripts(dir: string): Record<'dump' | 'verify' | 'load', string> {
  const pgModule = JSON.stringify(path.join(REPO, 'node_modules/pg'));
  const head = `const pg = require(${pgModule}); const fs = require('fs');
const client = new pg.Client({ connectionString: process.env[process.argv[2]] });`;
  const scripts = {
    dump: `${head}
client.connect().then(() => client.query('select id, region, amount::text from orders order by id'))
  .then((r) => fs.writeFileSync(process.argv[3], JSON.stringify(r.rows))).finally(() => client.end());`,
    verify: `const rows = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
if (!Array.isArray(rows)) process.exit(1);`,
    load: `${head}
const rows = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
client.connect().then(async () => {
  await client.query('begin');
  await client.query('delete from orders');
  for (const r of rows) await client.query('insert into orders values ($1, $2, $3)', [r.id, r.region, r.amount]);
  await client.query('commit');
}).finally(() => client.end());`,
  };
  const files = {} as Record<'dump' | 'verify' | 'load', string>;
  for (const [name, text] of Object.entries(scripts)) {
    files[name as keyof typeof files] = path.join(dir, `${name}.cjs`);
    fs.writeFileSync(path.join(dir, `${name}.cjs`), text);
  }
  return files;
}

test("the command driver with the test's own scripts: rolled back exactly; a corrupt artifact refused", async () => {
  const data = await ordersDatabase('orders_cmd', 'BACKUP_CMD_DB_URL');
  const f = (fixture = await createOrdersFixture({ name: 'orders-cmd' }));
  const before = await data.rows();
  const s = writeScripts(fs.mkdtempSync(path.join(f.workdir, 'scripts-')));
  const plan = planWith(f, 'BACKUP_CMD_DB_URL', await data.total(), {
    paths: [],
    databases: [
      {
        name: 'orders',
        driver: 'command',
        backup: ['node', s.dump, 'BACKUP_CMD_DB_URL', '{{ artifact }}'],
        verify: ['node', s.verify, '{{ artifact }}'],
        restore: ['node', s.load, 'BACKUP_CMD_DB_URL', '{{ artifact }}'],
        artifact: 'orders.json',
      },
    ],
  });
  const planFile = path.join(f.workdir, 'plan.yaml');
  fs.writeFileSync(planFile, stringify(plan));
  await startV1(f, plan);
  const handle = await startCutover(env.client, plan, { autoApprove: true, holdBefore: ['phase5'] });
  const view = await atHold(handle, 'phase5', () => data.corrupt().then(() => undefined));
  expect(`${view.status} ${view.message}`).toMatch(/^ROLLED_BACK/);
  expect(await data.rows()).toEqual(before);

  const final = manifests(f).find((a) => a.m.label.endsWith('.final'))!;
  const phase1 = manifests(f).find((a) => !a.m.label.endsWith('.final'))!;
  expect(final.m.parts).toEqual([expect.objectContaining({ name: 'orders', driver: 'command' })]);
  flipByte(path.join(f.workdir, 'backups', final.m.parts![0].file));
  await data.corrupt();
  const corrupted = await data.rows();
  const refused = await cli(['backup', 'restore', planFile, final.m.label]);
  expect(refused.code).toBe(5);
  expect(refused.stderr).toMatch(/backup part "orders" .* is corrupt: sha256 \w+ differs .*nothing was restored/);
  expect(await data.rows()).toEqual(corrupted);
  const run = await cli(['backup', 'restore', planFile, phase1.m.label]);
  expect(run.code).toBe(0);
  expect(await data.rows()).toEqual(before);
}, 180_000);
