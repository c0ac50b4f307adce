import type { Logger } from 'pino';
import pg from 'pg';
import type { KpiSnapshot } from './kpi-snapshot';

/**
 * Publishes a version's KPI results into PostgreSQL (DEMO_WAREHOUSE_URL), as a real pipeline
 * writes into its warehouse: one row per (version, as_of, group kind, group, KPI), the totals as
 * grp_kind 'total', grp 'all'. Each publish replaces that version's rows for the day in one
 * transaction (upsert, then the rows it no longer has are removed), so a repeat is a no-op and a
 * reader never sees half a snapshot. A failed publish is logged and retried; it never stops the
 * service from serving.
 */
export const WAREHOUSE_DDL = `CREATE TABLE IF NOT EXISTS kpi_results (
  version text NOT NULL, as_of date NOT NULL, grp_kind text NOT NULL, grp text NOT NULL, kpi text NOT NULL,
  value double precision NOT NULL, published_at timestamptz NOT NULL,
  PRIMARY KEY (version, as_of, grp_kind, grp, kpi))`;

const UPSERT = `INSERT INTO kpi_results (version, as_of, grp_kind, grp, kpi, value, published_at)
  SELECT $1, $2::date, k, g, n, v, now()
  FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[]) AS t(k, g, n, v)
  ON CONFLICT (version, as_of, grp_kind, grp, kpi)
  DO UPDATE SET value = excluded.value, published_at = excluded.published_at`;
const RETRY_MS = 5_000;

export interface WarehouseStatus {
  published: number;
  failed: number;
  lastError?: string;
}

export class Warehouse {
  private readonly pool: pg.Pool;
  private running: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  readonly status: WarehouseStatus = { published: 0, failed: 0 };

  constructor(
    url: string,
    private readonly version: string,
    private readonly asOf: string,
    private readonly snapshot: () => KpiSnapshot | null,
    private readonly log: Logger,
    private readonly onResult: (ok: boolean) => void = () => undefined,
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: 1,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      application_name: `loans-${version}`,
    });
    this.pool.on('error', (err) => this.log.warn({ err: err.message }, 'warehouse connection dropped'));
  }

  /** Asks for a publish of the current figures; calls during a publish fold into one more after it. */
  publish(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.publishLoop().finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    await this.running?.catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private async publishLoop(): Promise<void> {
    do {
      this.again = false;
      const snap = this.snapshot();
      if (!snap) return;
      try {
        await this.write(snap);
        this.status.published++;
        this.log.info({ rows: rowsOf(snap).kpi.length, asOf: this.asOf }, 'KPI results published to the warehouse');
        this.onResult(true);
      } catch (err) {
        this.status.failed++;
        this.status.lastError = (err as Error).message;
        this.log.warn({ err: (err as Error).message, retryInMs: RETRY_MS }, 'warehouse publish failed');
        this.onResult(false);
        if (this.retry) clearTimeout(this.retry);
        this.retry = setTimeout(() => void this.publish(), RETRY_MS);
        this.retry.unref();
        return;
      }
    } while (this.again);
  }

  private async write(snap: KpiSnapshot): Promise<void> {
    const r = rowsOf(snap);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // V1 and V2 start together: one of them creates the table, the other waits for it
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('kpi_results'))`);
      await client.query(WAREHOUSE_DDL);
      await client.query(UPSERT, [this.version, this.asOf, r.kind, r.group, r.kpi, r.value]);
      // now() is the transaction's start: anything older is a group or KPI this snapshot no longer has
      await client.query(
        'DELETE FROM kpi_results WHERE version = $1 AND as_of = ' + '$2::date AND published_at < now()',
        [this.version, this.asOf],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** Column arrays for unnest: the totals, then every group of every dimension. */
function rowsOf(snap: KpiSnapshot): { kind: string[]; group: string[]; kpi: string[]; value: number[] } {
  const out = { kind: [] as string[], group: [] as string[], kpi: [] as string[], value: [] as number[] };
  const add = (kind: string, group: string, kpis: Record<string, number>) => {
    for (const [kpi, value] of Object.entries(kpis)) {
      out.kind.push(kind);
      out.group.push(group);
      out.kpi.push(kpi);
      out.value.push(value);
    }
  };
  add('total', 'all', snap.kpis);
  for (const [dim, groups] of Object.entries(snap.breakdowns))
    for (const [g, kpis] of Object.entries(groups)) add(dim, g, kpis);
  return out;
}
