import type { DemoService } from '../harness';
import { kpiDifferences, KPI_NAMES } from '../pipeline/kpi-types';
import { dataset, getJson, postJson, ServicePool } from './support';

/** The HTTP contract both versions share, checked against real processes on free ports. */
const pool = new ServicePool();
const dataDir = dataset(20_000, 42);
const services: Record<'v1' | 'v2', DemoService> = {} as never;

beforeAll(async () => {
  [services.v1, services.v2] = await Promise.all([
    pool.start({ version: 'v1', dataDir }),
    pool.start({ version: 'v2', dataDir }),
  ]);
});
afterAll(() => pool.stopAll());

describe.each(['v1', 'v2'] as const)('the %s service', (version) => {
  const url = (p: string): string => services[version].url + p;

  it('reports itself healthy with its version and row count', async () => {
    const { status, body } = await getJson(url('/health'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', version, ready: true, rows: 20_000 });
    expect(typeof body.uptimeSec).toBe('number');
  });

  it('serves every KPI overall', async () => {
    const { status, body } = await getJson(url('/kpis'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ version, rows: 20_000 });
    expect(Object.keys(body.kpis).sort()).toEqual([...KPI_NAMES].sort());
    expect(body.groups).toBeUndefined();
  });

  it.each(['segment', 'region', 'product'])('breaks KPIs down by %s', async (by) => {
    const { status, body } = await getJson(url(`/kpis?by=${by}`));
    expect(status).toBe(200);
    expect(Object.keys(body.groups).length).toBeGreaterThanOrEqual(4);
  });

  it('answers an unknown breakdown with a 400 naming the parameter', async () => {
    const { status, body } = await getJson(url('/kpis?by=colour'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ parameter: 'by', value: 'colour' });
    expect(body.error).toMatch(/by/);
  });

  it('answers malformed requests with 4xx JSON, never 5xx', async () => {
    const cases: [string, RequestInit | undefined, number][] = [
      ['/nowhere', undefined, 404],
      ['/kpis?limit=3', undefined, 400],
      ['/audit?after=-1', undefined, 400],
      ['/audit?after=abc', undefined, 400],
      ['/kpis', { method: 'POST' }, 405],
      ['/health', { method: 'DELETE' }, 405],
      ['/admin/faults', { method: 'POST', body: '{not json' }, 400],
      ['/admin/faults', { method: 'POST', body: '[1,2]' }, 400],
      ['/admin/faults', { method: 'POST', body: '{"errorRate": 7}' }, 400],
      ['/admin/faults', { method: 'POST', body: '{"noSuchFault": true}' }, 400],
    ];
    for (const [p, init, expected] of cases) {
      const { status, body } = await getJson(url(p), init);
      expect({ p, status }).toEqual({ p, status: expected });
      expect(typeof body.error).toBe('string');
    }
  });

  it('says which methods are allowed when the method is wrong', async () => {
    const res = await fetch(url('/kpis'), { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('exposes Prometheus metrics for requests, errors, latency and the process', async () => {
    await getJson(url('/nowhere'));
    const res = await fetch(url('/metrics'));
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/demo_http_request_duration_seconds_bucket\{.*route="\/kpis"/);
    expect(text).toMatch(/demo_http_requests_total\{.*route="unknown".*status="404"/);
    expect(text).toContain('# TYPE demo_http_errors_total counter');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toMatch(new RegExp(`demo_service_info\\{.*pipeline="${version}"`));
  });

  it('keeps an append-only audit trail with consecutive sequence numbers from 1', async () => {
    await getJson(url('/kpis'));
    const { body } = await getJson(url('/audit'));
    const seqs = body.events.map((e: { seq: number }) => e.seq);
    expect(seqs[0]).toBe(1);
    seqs.forEach((s: number, i: number) => expect(s).toBe(i + 1));
    expect(body.lastSeq).toBe(seqs[seqs.length - 1]);
    expect(body.events[0]).toMatchObject({ type: 'load', rows: 20_000 });
    expect(new Set(body.events.map((e: { type: string }) => e.type))).toEqual(new Set(['load', 'compute', 'request']));
    const later = await getJson(url(`/audit?after=${body.lastSeq - 1}`));
    expect(later.body.events[0].seq).toBe(body.lastSeq);
  });

  it('reports the loaded data as intact against the manifest', async () => {
    const { status, body } = await getJson(url('/integrity'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      rows: 20_000,
      expectedRows: 20_000,
      duplicateKeys: 0,
      missingKeys: 0,
      nullFields: 0,
      ok: true,
    });
    expect(body.checksum).toBe(body.expectedChecksum);
  });

  it('shows no faults by default', async () => {
    const { body } = await getJson(url('/admin/faults'));
    expect(body.faults).toEqual({});
  });

  it('accepts an empty fault patch without changing anything', async () => {
    const { status, body } = await postJson(url('/admin/faults'), {});
    expect(status).toBe(200);
    expect(body.faults).toEqual({});
  });
});

describe('V1 and V2 services on the same data dir', () => {
  it('serve the same KPIs within 0.01 %, overall and per group', async () => {
    for (const by of ['', '?by=segment', '?by=region', '?by=product']) {
      const [a, b] = await Promise.all([
        getJson(services.v1.url + '/kpis' + by),
        getJson(services.v2.url + '/kpis' + by),
      ]);
      expect(kpiDifferences(a.body.kpis, b.body.kpis, 1e-4)).toEqual([]);
      for (const g of Object.keys(a.body.groups ?? {}))
        expect(kpiDifferences(a.body.groups[g], b.body.groups[g], 1e-4)).toEqual([]);
    }
  });

  it('compute the same integrity checksum from different file formats', async () => {
    const [a, b] = await Promise.all([
      getJson(services.v1.url + '/integrity'),
      getJson(services.v2.url + '/integrity'),
    ]);
    expect(a.body.checksum).toBe(b.body.checksum);
  });
});
