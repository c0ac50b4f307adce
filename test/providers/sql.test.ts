/**
 * The sql provider against a real PostgreSQL (one server for the file): scalars, rows, bind
 * parameters, a refused write, the statement timeout, config errors, an unreachable server.
 */
import { CheckConfigError } from '../../activities/checks/providers/provider';
import { sqlProvider, toBindParams } from '../../activities/checks/providers/sql';
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
  await db.sql(`INSERT INTO results VALUES ('loans-v2','v2','par30',0.0412,100000), ('loans-v2','v2','npl',0.0301,100000),
    ('loans-v1','v1','par30',0.0411,99999), ($1,'v2','par30',9,1)`, ["o'hara"]);
});
afterAll(async () => db?.stop());

test('one row, one column is the scalar; bigint and numeric come back as numbers', async () => {
  expect(await run('SELECT count(*) FROM results')).toMatchObject({ ok: true, value: 4, fields: { rowCount: 1, columns: ['count'] } });
  expect(await run(`SELECT value FROM results WHERE kpi = 'npl'`)).toMatchObject({ ok: true, value: 0.0301 });
});

test('several rows or columns are rows of objects', async () => {
  const answer = await run(`SELECT version, kpi, value, n FROM results WHERE service LIKE 'loans-%' ORDER BY version, kpi`);
  expect(answer).toMatchObject({ ok: true, fields: { rowCount: 3, columns: ['version', 'kpi', 'value', 'n'] } });
  expect(answer.ok && answer.value).toEqual([
    { version: 'v1', kpi: 'par30', value: 0.0411, n: 99999 },
    { version: 'v2', kpi: 'npl', value: 0.0301, n: 100000 },
    { version: 'v2', kpi: 'par30', value: 0.0412, n: 100000 },
  ]);
});

test('{{ service }}, {{ version }}, {{ window }} are bind parameters, numbered per distinct variable', async () => {
  expect(toBindParams('a = {{ version }} AND b = {{service}} OR c = {{ version }}', { service: 's', version: 'v2', window: '5m' }))
    .toEqual({ text: 'a = $1 AND b = $2 OR c = $1', values: ['v2', 's'] });
  const q = 'SELECT value FROM results WHERE service = {{ service }} AND version = {{ version }} AND kpi = \'par30\' AND now() - {{ window }}::interval < now()';
  expect(await run(q)).toMatchObject({ ok: true, value: 0.0412 });
  // a service name with a quote is a value, not SQL: it selects its own row and nothing else
  expect(await run(q, ctx(undefined, "o'hara"))).toMatchObject({ ok: true, value: 9 });
  expect(() => toBindParams(`WHERE v = '{{ version }}'`, { version: 'v2' })).toThrow(/inside quotes.*write it bare/);
  await expect(run('SELECT {{ region }}')).rejects.toThrow(/unknown template variable \{\{ region \}\}/);
});

test('a write is refused by the read-only transaction, with PostgreSQL\'s message, and changes nothing', async () => {
  const err = await run(`INSERT INTO results VALUES ('x','v2','par30',1,1)`).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CheckConfigError);
  expect((err as Error).message).toMatch(/read-only.*cannot execute INSERT in a read-only transaction \(25006\)/);
  // a second statement cannot escape the transaction: one statement per check
  await expect(run(`COMMIT; DELETE FROM results`)).rejects.toThrow(/cannot insert multiple commands into a prepared statement/);
  await expect(run(`UPDATE results SET value = 0`)).rejects.toThrow(/read-only transaction/);
  expect(await db.sql('SELECT count(*)::int AS n FROM results')).toEqual([{ n: 4 }]);
});

test('a query longer than its timeout is cancelled: inconclusive', async () => {
  const answer = await run('SELECT pg_sleep(5)', ctx(), '300ms');
  expect(answer).toEqual({ ok: false, inconclusive: expect.stringMatching(/ran longer than its timeout \(300ms\) and was cancelled/) });
});

test('a SQL error names the database and carries PostgreSQL\'s message', async () => {
  await expect(run('SELECT nope FROM results')).rejects.toThrow(/database warehouse: PostgreSQL rejected the query: column "nope" does not exist \(42703\)/);
});

test('config mistakes name the field and the fix', async () => {
  await expect(sqlProvider({ database: 'dwh', query: 'SELECT 1', timeout: '1s' }, ctx())).rejects.toThrow(/sql.database "dwh" is not in the plan's `databases`: use one of warehouse/);
  await expect(run('SELECT 1', ctx({}))).rejects.toThrow(/databases.warehouse.urlEnv: environment variable WAREHOUSE_URL is not set on the worker/);
  const wrongPassword = db.url.replace(/:pw[^@]+@/, ':wrong@');
  await expect(run('SELECT 1', ctx({ WAREHOUSE_URL: wrongPassword }))).rejects.toThrow(/password authentication failed.*fix the connection string/);
});

test('an unreachable server is inconclusive', async () => {
  const closed = `postgres://u:p@127.0.0.1:${await freePort()}/db`;
  expect(await run('SELECT 1', ctx({ WAREHOUSE_URL: closed }))).toEqual({ ok: false, inconclusive: expect.stringMatching(/database warehouse unreachable: .*ECONNREFUSED/) });
});
