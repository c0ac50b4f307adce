/**
 * The sql provider against a real PostgreSQL (one server for the file): scalars, rows, bind
 * parameters, a refused write, the statement timeout, config errors, an unreachable server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CheckConfigError } from '../../activities/checks/providers/provider';
import { sqlProvider, toBindParams } from '../../activities/checks/providers/sql';
import { generateDataset, startDemoService, type DemoService } from '../../demo/harness';
import { freePort } from '../helpers/demo-fixture';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { providerContext } from './context';

let db: TestPostgres;
const ctx = (env: NodeJS.ProcessEnv = { WAREHOUSE_URL: db.url }, service = 'loans-v2') =>
  providerContext({ databases: { warehouse: { urlEnv: 'WAREHOUSE_URL' } }, env, service });
const run = (query: string, c = ctx(), timeout = '10s') => sqlProvider({ database: 'warehouse', query, timeout }, c);

beforeAll(async () => {
  db = await startPostgres();
  await db.sql(`CREATE TABLE results (service text, version text, kpi text, value numeric, n bigint)`);
  await db.sql(
    `INSERT INTO results VALUES ('loans-v2','v2','par30',0.0412,100000), ('loans-v2','v2','npl',0.0301,100000),
    ('loans-v1','v1','par30',0.0411,99999), ($1,'v2','par30',9,1)`,
    ["o'hara"],
  );
});
afterAll(async () => db?.stop());

test('one row, one column is the scalar; bigint and numeric come back as numbers', async () => {
  expect(await run('SELECT count(*) FROM results')).toMatchObject({
    ok: true,
    value: 4,
    fields: { rowCount: 1, columns: ['count'] },
  });
  expect(await run(`SELECT value FROM results WHERE kpi = 'npl'`)).toMatchObject({ ok: true, value: 0.0301 });
});

test('several rows or columns are rows of objects', async () => {
  const answer = await run(
    `SELECT version, kpi, value, n FROM results WHERE service LIKE ` + `'loans-%' ORDER BY version, kpi`,
  );
  expect(answer).toMatchObject({ ok: true, fields: { rowCount: 3, columns: ['version', 'kpi', 'value', 'n'] } });
  expect(answer.ok && answer.value).toEqual([
    { version: 'v1', kpi: 'par30', value: 0.0411, n: 99999 },
    { version: 'v2', kpi: 'npl', value: 0.0301, n: 100000 },
    { version: 'v2', kpi: 'par30', value: 0.0412, n: 100000 },
  ]);
});

test('{{ service }}, {{ version }}, {{ window }} are bind parameters, numbered per distinct variable', async () => {
  expect(
    toBindParams('a = {{ version }} AND b = {{service}} OR c = {{ version }}', {
      service: 's',
      version: 'v2',
      window: '5m',
    }),
  ).toEqual({ text: 'a = $1 AND b = $2 OR c = $1', values: ['v2', 's'] });
  const q =
    'SELECT value FROM results WHERE service = {{ service }} AND ' +
    "version = {{ version }} AND kpi = 'par30' AND now() - {{ " +
    'window }}::interval < now()';
  expect(await run(q)).toMatchObject({ ok: true, value: 0.0412 });
  // a service name with a quote is a value, not SQL: it selects its own row and nothing else
  expect(await run(q, ctx(undefined, "o'hara"))).toMatchObject({ ok: true, value: 9 });
  expect(() => toBindParams(`WHERE v = '{{ version }}'`, { version: 'v2' })).toThrow(/inside quotes.*write it bare/);
  await expect(run('SELECT {{ region }}')).rejects.toThrow(/unknown template variable \{\{ region \}\}/);
});

test("a write is refused by the read-only transaction, with PostgreSQL's message, and changes nothing", async () => {
  const err = await run(`INSERT INTO results VALUES ('x','v2','par30',1,1)`).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CheckConfigError);
  expect((err as Error).message).toMatch(/read-only.*cannot execute INSERT in a read-only transaction \(25006\)/);
  // a second statement cannot escape the transaction: one statement per check
  await expect(run(`COMMIT; DELETE FROM results`)).rejects.toThrow(
    /cannot insert multiple commands into a prepared statement/,
  );
  await expect(run(`UPDATE results SET value = 0`)).rejects.toThrow(/read-only transaction/);
  expect(await db.sql('SELECT count(*)::int AS n FROM results')).toEqual([{ n: 4 }]);
});

test('a query longer than its timeout is cancelled: inconclusive', async () => {
  const answer = await run('SELECT pg_sleep(5)', ctx(), '300ms');
  expect(answer).toEqual({
    ok: false,
    inconclusive: expect.stringMatching(/ran longer than its timeout \(300ms\) and was cancelled/),
  });
});

test("a SQL error names the database and carries PostgreSQL's message", async () => {
  await expect(run('SELECT nope FROM results')).rejects.toThrow(
    /database warehouse: PostgreSQL rejected the query: column "nope" does not exist \(42703\)/,
  );
});

test('config mistakes name the field and the fix', async () => {
  await expect(sqlProvider({ database: 'dwh', query: 'SELECT 1', timeout: '1s' }, ctx())).rejects.toThrow(
    /sql.database "dwh" is not in the plan's `databases`: use one of warehouse/,
  );
  await expect(run('SELECT 1', ctx({}))).rejects.toThrow(
    /databases.warehouse.urlEnv: environment variable WAREHOUSE_URL is not set on the worker/,
  );
  const wrongPassword = db.url.replace(/:pw[^@]+@/, ':wrong@');
  await expect(run('SELECT 1', ctx({ WAREHOUSE_URL: wrongPassword }))).rejects.toThrow(
    /password authentication failed.*fix the connection string/,
  );
});

test('an unreachable server is inconclusive', async () => {
  const closed = `postgres://u:p@127.0.0.1:${await freePort()}/db`;
  expect(await run('SELECT 1', ctx({ WAREHOUSE_URL: closed }))).toEqual({
    ok: false,
    inconclusive: expect.stringMatching(/database warehouse unreachable: .*ECONNREFUSED/),
  });
});

describe('the demo publishing its KPI results into the warehouse', () => {
  let dataDir: string;
  const svc: Partial<Record<'v1' | 'v2', DemoService>> = {};
  const ROWS_PER_VERSION = 11 * (1 + 4 + 5 + 5); // 11 KPIs: totals + 4 segments + 5 regions + 5 products
  const published = (version: string, kind: string, grp: string, kpi: string) =>
    db
      .sql<{ value: number }>(
        'SELECT value FROM kpi_results WHERE version = $1 AND grp_kind ' + '= $2 AND grp = $3 AND kpi = $4',
        [version, kind, grp, kpi],
      )
      .then((r) => r[0]?.value);
  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 90_000;
    // the demo creates kpi_results when it first publishes, after it answers: until then the table is missing (42P01)
    const settled = () =>
      check().catch((err: { code?: string }) => (err.code === '42P01' ? false : Promise.reject(err)));
    while (!(await settled())) {
      if (Date.now() > deadline) {
        const status = await Promise.all(
          Object.values(svc).map((s) =>
            fetch(`${s.url}/admin/faults`).then(
              (r) => r.text(),
              (e: Error) => e.message,
            ),
          ),
        );
        throw new Error(`not reached: ${what}; services say ${status.join(' ')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const faults = (s: DemoService, body: unknown, method = 'POST') =>
    fetch(`${s.url}/admin/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify(body) : undefined,
    }).then((r) => r.json());

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-sqldata-'));
    generateDataset(dataDir, { rows: 2_000, seed: 11, csv: 'always' });
    const env = { DEMO_WAREHOUSE_URL: db.url };
    [svc.v1, svc.v2] = await Promise.all([
      startDemoService({ version: 'v1', dataDir, env, startTimeoutMs: 90_000 }),
      startDemoService({ version: 'v2', dataDir, env, startTimeoutMs: 90_000 }),
    ]);
    await until(
      'both versions published',
      async () =>
        (await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM kpi_results GROUP BY version'))
          .map((r) => r.n)
          .join() === `${ROWS_PER_VERSION},${ROWS_PER_VERSION}`,
    );
  });
  afterAll(async () => {
    await Promise.all([svc.v1?.stop(), svc.v2?.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('totals and every breakdown land in kpi_results; the sql provider reads them per version', async () => {
    const served = (await (await fetch(`${svc.v2!.url}/kpis`)).json()) as {
      kpis: Record<string, number>;
      breakdowns: Record<string, Record<string, Record<string, number>>>;
    };
    expect(await published('v2', 'total', 'all', 'par30')).toBe(served.kpis.par30);
    expect(await published('v2', 'region', 'north', 'nplRatio')).toBe(served.breakdowns.region.north.nplRatio);
    const q =
      `SELECT grp, value FROM kpi_results WHERE version = {{ version ` +
      `}} AND grp_kind = 'segment' AND kpi = 'par30' ORDER BY grp`;
    const [a1, a2] = await Promise.all(
      (['v1', 'v2'] as const).map((role) =>
        sqlProvider(
          { database: 'warehouse', query: q, timeout: '10s' },
          providerContext({
            role,
            databases: { warehouse: { urlEnv: 'WAREHOUSE_URL' } },
            env: { WAREHOUSE_URL: db.url },
          }),
        ),
      ),
    );
    if (!a1.ok || !a2.ok) throw new Error(`inconclusive: ${JSON.stringify([a1, a2])}`);
    const [r1, r2] = [a1.value, a2.value] as { grp: string; value: number }[][];
    expect(r1.map((r) => r.grp)).toEqual(['corporate', 'microfinance', 'retail', 'sme']);
    expect(r2.every((r, i) => r.grp === r1[i].grp && Math.abs(r.value - r1[i].value) < 1e-12)).toBe(true);
    // the shape compare mode wants: one object, a key per figure (jsonb comes back parsed)
    const wide = await sqlProvider(
      {
        database: 'warehouse',
        timeout: '10s',
        query:
          `SELECT jsonb_object_agg(grp_kind || '.' || grp || '.' || kpi, ` +
          `value) FROM kpi_results WHERE version = {{ version }}`,
      },
      providerContext({
        role: 'v2',
        databases: { warehouse: { urlEnv: 'WAREHOUSE_URL' } },
        env: { WAREHOUSE_URL: db.url },
      }),
    );
    if (!wide.ok) throw new Error(wide.inconclusive);
    expect(Object.keys(wide.value as object)).toHaveLength(ROWS_PER_VERSION);
    expect((wide.value as Record<string, number>)['segment.sme.par30']).toBe(served.breakdowns.segment.sme.par30);
  });

  test('a one-group drift and a KPI drift are published too; republishing replaces, never duplicates', async () => {
    const truth = {
      sme: await published('v1', 'segment', 'sme', 'par30'),
      total: await published('v1', 'total', 'all', 'par30'),
    };
    await faults(svc.v2!, { groupDrift: { group: 'sme', kpi: 'par30', relative: 0.2 } });
    await until(
      'V2 publishes the drifted group',
      async () => Math.abs((await published('v2', 'segment', 'sme', 'par30')) - truth.sme * 1.2) < 1e-12,
    );
    expect(await published('v2', 'total', 'all', 'par30')).toBeCloseTo(truth.total, 12);
    await faults(svc.v2!, { groupDrift: null, kpiDrift: { kpi: 'par30', relative: 0.05 } });
    await until(
      'V2 publishes the drifted total',
      async () => Math.abs((await published('v2', 'total', 'all', 'par30')) - truth.total * 1.05) < 1e-12,
    );
    expect(await published('v2', 'segment', 'sme', 'par30')).toBeCloseTo(truth.sme * 1.05, 12);
    await faults(svc.v2!, undefined, 'DELETE');
    await until(
      'V2 publishes the true figures again',
      async () => Math.abs((await published('v2', 'total', 'all', 'par30')) - truth.total) < 1e-12,
    );
    expect(
      await db.sql('SELECT version, count(*)::int AS n FROM kpi_results GROUP BY version ORDER BY version'),
    ).toEqual([
      { version: 'v1', n: ROWS_PER_VERSION },
      { version: 'v2', n: ROWS_PER_VERSION },
    ]);
    expect(await (await fetch(`${svc.v2!.url}/metrics`)).text()).toMatch(
      /demo_warehouse_publishes_total\{result="ok",service="loans-analytics",version="v2"\} [4-9]/,
    );
  });
});
