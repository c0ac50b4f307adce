/**
 * Dump and restore time of the postgres backup driver on the orders table: a real PostgreSQL of
 * pg_dump's major version, N rows (default 1M), then `pg_dump --format=custom` + its TOC
 * (dumpPostgres), the verify (sha256 + pg_restore --list) and the one-transaction restore
 * (restorePostgres), with the rows checked unchanged after it. Not a test: the figures depend on
 * the machine (load average printed).
 *   npx tsx bench/backup-postgres.ts [--rows 1000000] [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpPostgres, restorePostgres, verifyPostgresDump } from '../activities/backup-postgres';
import { sha256File } from '../activities/sha256-file';
import { serverBinForPgDump, startPostgres } from '../test/helpers/postgres';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const rows = Number(opt('rows', '1000000'));
const runs = Number(opt('runs', '3'));

async function main() {
  const db = await startPostgres({ bin: await serverBinForPgDump() });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-bench-backup-'));
  try {
    process.env.BENCH_BACKUP_URL = db.url;
    await db.sql('create table orders (id int primary key, region text not null, amount numeric(12,2) not null)');
    await db.sql(
      "insert into orders select i, (array['east','west','north','south'])[1 + i % 4], 10 + (i * 37) % 90 " +
        `from generate_series(1, ${rows}) i`,
    );
    await db.sql('vacuum analyze orders');
    const digest = async () =>
      (
        await db.sql<{ d: string }>(
          "select md5(string_agg(id || ':' || region || ':' || amount, ',' order by id)) d from orders",
        )
      )[0].d;
    const before = await digest();
    const spec = {
      name: 'orders',
      driver: 'postgres' as const,
      url: { env: 'BENCH_BACKUP_URL' },
      tables: ['public.orders'],
    };
    const figures: Array<{ dump: number; verify: number; restore: number; bytes: number }> = [];
    for (let r = 0; r < runs; r++) {
      const file = path.join(dir, `orders-${r}.dump`);
      let t = performance.now();
      await dumpPostgres(spec, file);
      const dump = performance.now() - t;
      t = performance.now();
      await sha256File(file);
      const why = await verifyPostgresDump(file);
      if (why) throw new Error(why);
      const verify = performance.now() - t;
      await db.sql("update orders set amount = amount * 2 where region = 'east'");
      t = performance.now();
      await restorePostgres(spec, file);
      const restore = performance.now() - t;
      if ((await digest()) !== before) throw new Error('the restored rows differ from the dumped ones');
      figures.push({ dump, verify, restore, bytes: fs.statSync(file).size });
      fs.rmSync(file);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `${rows} rows, ${runs} run(s), load ${os.loadavg()[0].toFixed(1)}: ` +
        `dump median ${s(median(figures.map((f) => f.dump)))}, ` +
        `verify (sha256 + pg_restore --list) ${s(median(figures.map((f) => f.verify)))}, ` +
        `restore (one transaction) ${s(median(figures.map((f) => f.restore)))}, ` +
        `dump ${(figures[0].bytes / 1_048_576).toFixed(1)} MiB; rows identical after each restore`,
    );
  } finally {
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
