/**
 * The `sql` provider: one query against a PostgreSQL database the plan names, in a READ ONLY
 * transaction under a statement timeout, always rolled back, the connection always closed.
 * {{ service }}, {{ version }} and {{ window }} become bind parameters ($1, $2…), never SQL text,
 * so a service name can not change what the query does.
 */
import pg from 'pg';
import type { SqlProviderSpec } from '../../../domain/check-schema';
import { parseDuration } from '../../../domain/duration';
import { CheckConfigError, secretFromEnv, type Provider, type ProviderAnswer } from './provider';

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** pg hands these over as strings (they may exceed a double); a check compares them as numbers. */
const NUMERIC_TYPES = new Set([20 /* int8 */, 1700 /* numeric */]);
/** SQLSTATE classes that mean "could not reach or use the server now": the plan decides, as for no data. */
const UNAVAILABLE = /^(08|57P0[1-3]|53)/;
const QUERY_CANCELED = '57014';

/**
 * `… version = {{ version }} …` → `… version = $1 …` with values ['v2']; one number per distinct
 * variable.
 */
export function toBindParams(query: string, vars: Record<string, string>): { text: string; values: string[] } {
  const order: string[] = [];
  let inString: string | null = null;
  let out = '';
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (inString) {
      if (c === inString) inString = null;
    } else if (c === "'" || c === '"') {
      inString = c;
    } else if (query.startsWith('{{', i)) {
      TEMPLATE.lastIndex = i;
      const m = TEMPLATE.exec(query);
      if (m && m.index === i) {
        const name = m[1];
        if (!(name in vars))
          throw new CheckConfigError(
            `unknown template variable {{ ${name} }} in the SQL query: use ${Object.keys(vars)
              .map((v) => `{{ ${v} }}`)
              .join(', ')}`,
          );
        if (!order.includes(name)) order.push(name);
        out += `$${order.indexOf(name) + 1}`;
        i += m[0].length - 1;
        continue;
      }
    }
    if (inString && /^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/.test(query.slice(i))) {
      throw new CheckConfigError(
        `a {{ … }} variable inside quotes in the SQL query: write it ` +
          `bare (version = {{ version }}); it is passed as a bind ` +
          `parameter, never spliced into the text`,
      );
    }
    out += c;
  }
  return { text: out, values: order.map((name) => vars[name]) };
}

export const sqlProvider: Provider<SqlProviderSpec> = async (spec, ctx) => {
  const db = ctx.loaded.plan.databases[spec.database];
  if (!db) {
    const known = Object.keys(ctx.loaded.plan.databases);
    throw new CheckConfigError(
      `sql.database "${spec.database}" is not in the plan's ` +
        (`\`databases\`: ` +
          (known.length
            ? `use one of ${known.join(', ')}`
            : `add databases: { ${spec.database}: { urlEnv: WAREHOUSE_URL } }`) +
          ``),
    );
  }
  const connectionString = secretFromEnv(ctx.env, db.urlEnv, `databases.${spec.database}.urlEnv`);
  const { text, values } = toBindParams(spec.query, ctx.vars);
  const timeoutMs = parseDuration(spec.timeout);
  // connecting (TCP + SCRAM) gets at least 5 s whatever the statement timeout: a short statement
  // timeout must not turn a busy host into "unreachable"
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: Math.max(timeoutMs, 5_000),
    query_timeout: timeoutMs + 5_000,
    application_name: 'cutover-check',
  });
  // pg reports a dropped connection as an 'error' event; without a listener it would crash the worker
  client.on('error', () => undefined);
  const abort = () => void client.end().catch(() => undefined);
  ctx.signal?.addEventListener('abort', abort, { once: true });
  const where = `database ${spec.database}`;
  try {
    try {
      await client.connect();
    } catch (err) {
      return connectFailure(err, where);
    }
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, timeoutMs)}`);
      // extended protocol even without parameters: one statement only, so "COMMIT; DELETE …"
      // cannot end the read-only transaction and write in a second statement
      const result = await client.query({
        text,
        values,
        rowMode: 'array',
        queryMode: 'extended',
      } as pg.QueryArrayConfig);
      return answer(result, spec.query);
    } catch (err) {
      return queryFailure(err, where, spec.timeout);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  } finally {
    ctx.signal?.removeEventListener('abort', abort);
    await client.end().catch(() => undefined);
  }
};

function answer(result: pg.QueryArrayResult, query: string): ProviderAnswer {
  const columns = result.fields.map((f) => f.name);
  const numeric = result.fields.map((f) => NUMERIC_TYPES.has(f.dataTypeID));
  const cell = (v: unknown, k: number) =>
    numeric[k] && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  const rows = result.rows.map((r) => Object.fromEntries(r.map((v, k) => [columns[k], cell(v, k)])));
  const fields = { rowCount: rows.length, columns };
  if (rows.length === 1 && columns.length === 1) {
    const value = rows[0][columns[0]];
    return { ok: true, value, fields, summary: `${columns[0]} = ${JSON.stringify(value)}` };
  }
  return {
    ok: true,
    value: rows,
    fields,
    summary: `${rows.length} row(s) of ${columns.join(', ') || 'no columns'} ` + `from ${query.slice(0, 80)}`,
  };
}

function connectFailure(err: unknown, where: string): ProviderAnswer {
  const e = err as Error & { code?: string };
  // wrong password, unknown role or database: no retry fixes the worker's env
  if (e.code && /^(28|3D)/.test(e.code))
    throw new CheckConfigError(
      `${where}: PostgreSQL refused the connection: ${e.message} (` + `${e.code}): fix the connection string`,
    );
  return { ok: false, inconclusive: `${where} unreachable: ${e.message || e.code || String(err)}` };
}

function queryFailure(err: unknown, where: string, timeout: string): ProviderAnswer {
  const e = err as Error & { code?: string };
  if (e.code === QUERY_CANCELED || /Query read timeout/.test(e.message))
    return {
      ok: false,
      inconclusive: `${where}: the query ran longer than its timeout (${timeout}) ` + `and was cancelled`,
    };
  if (e.code && UNAVAILABLE.test(e.code)) return { ok: false, inconclusive: `${where}: ${e.message} (${e.code})` };
  if (!e.code) return { ok: false, inconclusive: `${where}: connection lost: ${e.message}` };
  if (e.code === '25006')
    throw new CheckConfigError(
      `${where}: refused, a check runs read-only: ${e.message} (` + `${e.code}): a check may only read`,
    );
  throw new CheckConfigError(`${where}: PostgreSQL rejected the query: ${e.message} (${e.code})`);
}
