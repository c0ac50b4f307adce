import { spawnDemoService, type DemoService } from '../harness';
import { dataset, eventually, getJson, ServicePool } from './support';

/** Each fault set at start through the environment (DEMO_FAULTS JSON or one DEMO_FAULT_* var). */
const pool = new ServicePool();
const dataDir = dataset(1_000, 11);
let clean: DemoService;
beforeAll(async () => {
  clean = await pool.start({ version: 'v2', dataDir });
});
afterAll(() => pool.stopAll());

const kpisOf = async (svc: DemoService, q = ''): Promise<any> => (await getJson(svc.url + '/kpis' + q)).body;

describe('faults set by environment', () => {
  it('kpiDrift shifts one KPI by the given relative amount and leaves the others alone', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, faults: { kpiDrift: { kpi: 'par30', relative: 0.05 } } });
    const [base, drifted] = [await kpisOf(clean, '?by=segment'), await kpisOf(svc, '?by=segment')];
    expect(drifted.kpis.par30).toBeCloseTo(base.kpis.par30 * 1.05, 12);
    expect(drifted.groups.retail.par30).toBeCloseTo(base.groups.retail.par30 * 1.05, 12);
    expect(drifted.kpis.par90).toBe(base.kpis.par90);
  });

  it('kpiDrift given as DEMO_FAULT_KPI_DRIFT without a KPI name drifts every KPI', async () => {
    const svc = await pool.start({ version: 'v1', dataDir, env: { DEMO_FAULT_KPI_DRIFT: '-0.1' } });
    const [base, drifted] = [await kpisOf(clean), await kpisOf(svc)];
    expect(drifted.kpis.totalOutstanding).toBeCloseTo(base.kpis.totalOutstanding * 0.9, 3);
    expect(drifted.kpis.loanCount).toBeCloseTo(900, 9);
  });

  it('errorRate answers exactly that fraction of data requests with 500, and counts them as errors', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, env: { DEMO_FAULT_ERROR_RATE: '0.25' } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await getJson(svc.url + '/kpis')).status);
    expect(statuses).toEqual([200, 200, 200, 500, 200, 200, 200, 500]);
    expect((await getJson(svc.url + '/health')).status).toBe(200);
    const metrics = await (await fetch(svc.url + '/metrics')).text();
    expect(metrics).toMatch(/demo_http_errors_total\{route="\/kpis",status="500"[^}]*\} 2/);
  });

  it('latencyMs delays every data response by at least that long', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, faults: { latencyMs: 300 } });
    const started = Date.now();
    const res = await getJson(svc.url + '/kpis');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(res.headers.get('x-demo-injected-latency-ms')).toBe('300');
  });

  it('failOnStart exits non-zero before ever listening', async () => {
    const child = spawnDemoService({ version: 'v2', dataDir, faults: { failOnStart: true } });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(out).not.toContain('"msg":"listening"');
    const custom = spawnDemoService({ version: 'v1', dataDir, env: { DEMO_FAULT_FAIL_ON_START: '7' } });
    expect(await new Promise((r) => custom.once('exit', r))).toBe(7);
  });

  it('hangOnStop ignores SIGTERM so only SIGKILL ends the process', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, env: { DEMO_FAULT_HANG_ON_STOP: '1' } });
    process.kill(svc.pid, 'SIGTERM');
    await eventually(async () => svc.logs().includes('ignoring signal'));
    expect((await getJson(svc.url + '/health')).status).toBe(200);
    process.kill(svc.pid, 'SIGKILL');
    expect(await svc.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('lostRows drops that fraction of rows at load, which /integrity reports as missing keys', async () => {
    const svc = await pool.start({ version: 'v1', dataDir, faults: { lostRows: 0.02 } });
    const { body } = await getJson(svc.url + '/integrity');
    expect(body).toMatchObject({
      rows: 980,
      expectedRows: 1_000,
      missingKeys: 20,
      duplicateKeys: 0,
      ok: false,
      checksumMatches: false,
    });
    expect((await getJson(svc.url + '/health')).body.rows).toBe(980);
  });

  it('duplicatedRows repeats that fraction of rows at load, which /integrity reports as duplicate keys', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, env: { DEMO_FAULT_DUPLICATED_ROWS: '0.01' } });
    const { body } = await getJson(svc.url + '/integrity');
    expect(body).toMatchObject({ rows: 1_010, duplicateKeys: 10, missingKeys: 0, ok: false });
    expect((await kpisOf(svc)).kpis.loanCount).toBe(1_010);
  });

  it('auditGap makes the audit sequence skip numbers', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, faults: { auditGap: 4 } });
    await kpisOf(svc);
    const { body } = await getJson(svc.url + '/audit');
    expect(body.events.map((e: { seq: number }) => e.seq).slice(0, 2)).toEqual([5, 6]);
  });

  it('memoryLeakMbPerSec keeps growing the heap', async () => {
    const svc = await pool.start({ version: 'v2', dataDir, env: { DEMO_FAULT_MEMORY_LEAK_MB_PER_SEC: '40' } });
    await eventually(async () => (await getJson(svc.url + '/admin/faults')).body.status.leakedMb >= 10);
    const metrics = await (await fetch(svc.url + '/metrics')).text();
    const heapUsed = Number(/^nodejs_heap_size_used_bytes\{[^}]*\} (\d+)/m.exec(metrics)![1]);
    expect(heapUsed).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('refuses to start (exit 2) when DEMO_FAULTS is not valid', async () => {
    for (const bad of ['{oops', '{"errorRate": 2}', '{"unknownFault": 1}']) {
      const child = spawnDemoService({ version: 'v2', dataDir, env: { DEMO_FAULTS: bad } });
      expect(await new Promise((r) => child.once('exit', r))).toBe(2);
    }
  });

  it('reports the faults it started with at GET /admin/faults', async () => {
    const svc = await pool.start({
      version: 'v2',
      dataDir,
      faults: { latencyMs: 5 },
      env: { DEMO_FAULT_ERROR_RATE: '0.5' },
    });
    expect((await getJson(svc.url + '/admin/faults')).body.faults).toEqual({ latencyMs: 5, errorRate: 0.5 });
  });
});
