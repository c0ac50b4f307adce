import type { DemoService } from '../harness';
import { kpiDifferences, type Kpis } from '../pipeline/kpi-types';
import { faultsFromEnv } from '../service/faults';
import { dataset, eventually, getJson, postJson, ServicePool } from './support';

/** Each fault switched on and off at run time through /admin/faults on a running service. */
const pool = new ServicePool();
const dataDir = dataset(1_000, 23);
let v1: DemoService;
let v2: DemoService;
beforeAll(async () => {
  [v1, v2] = await Promise.all([pool.start({ version: 'v1', dataDir }), pool.start({ version: 'v2', dataDir })]);
});
afterEach(async () => {
  await Promise.all([v1, v2].map((s) => getJson(s.url + '/admin/faults', { method: 'DELETE' })));
});
afterAll(() => pool.stopAll());

const del = (svc: DemoService): Promise<any> => getJson(svc.url + '/admin/faults', { method: 'DELETE' });

describe('faults set through /admin/faults', () => {
  it('kpiDrift applies at once and DELETE restores the true figures', async () => {
    const before = (await getJson(v2.url + '/kpis')).body.kpis;
    const set = await postJson(v2.url + '/admin/faults', { kpiDrift: { kpi: 'defaultRate', relative: 0.5 } });
    expect(set.body.faults).toEqual({ kpiDrift: { kpi: 'defaultRate', relative: 0.5 } });
    const drifted = (await getJson(v2.url + '/kpis')).body.kpis;
    expect(drifted.defaultRate).toBeCloseTo(before.defaultRate * 1.5, 12);
    expect(drifted.par30).toBe(before.par30);
    await del(v2);
    expect((await getJson(v2.url + '/kpis')).body.kpis).toEqual(before);
  });

  it('merges patches and removes a single fault when it is set to null', async () => {
    await postJson(v2.url + '/admin/faults', { latencyMs: 1 });
    await postJson(v2.url + '/admin/faults', { errorRate: 0.1 });
    expect((await getJson(v2.url + '/admin/faults')).body.faults).toEqual({ latencyMs: 1, errorRate: 0.1 });
    const after = await postJson(v2.url + '/admin/faults', { latencyMs: null });
    expect(after.body.faults).toEqual({ errorRate: 0.1 });
  });

  it('errorRate 0.5 fails every other data request but never /health, /metrics or /admin', async () => {
    await postJson(v1.url + '/admin/faults', { errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await getJson(v1.url + '/kpis')).status);
    expect(statuses).toEqual([200, 500, 200, 500]);
    for (const p of ['/health', '/metrics', '/admin/faults']) expect((await fetch(v1.url + p)).status).toBe(200);
    expect((await getJson(v1.url + '/admin/faults')).body.status.injectedErrors).toBe(2);
  });

  it('latencyMs delays data responses by at least that long until removed', async () => {
    await postJson(v2.url + '/admin/faults', { latencyMs: 250 });
    const started = Date.now();
    const res = await getJson(v2.url + '/health');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(res.headers.get('x-demo-injected-latency-ms')).toBe('250');
    await del(v2);
    expect((await getJson(v2.url + '/health')).headers.get('x-demo-injected-latency-ms')).toBeNull();
  });

  it('lostRows reloads the data with rows missing, and DELETE reloads it whole', async () => {
    const set = await postJson(v1.url + '/admin/faults', { lostRows: 0.1 });
    expect(set.body.rows).toBe(900);
    expect((await getJson(v1.url + '/integrity')).body).toMatchObject({ rows: 900, missingKeys: 100, ok: false });
    await del(v1);
    expect((await getJson(v1.url + '/integrity')).body).toMatchObject({ rows: 1_000, missingKeys: 0, ok: true });
    const loads = (await getJson(v1.url + '/audit')).body.events.filter((e: { type: string }) => e.type === 'load');
    expect(loads.map((e: { rows: number }) => e.rows)).toEqual([1_000, 900, 1_000]);
  });

  it('duplicatedRows reloads the data with repeated loan ids', async () => {
    await postJson(v2.url + '/admin/faults', { duplicatedRows: 0.05 });
    expect((await getJson(v2.url + '/integrity')).body).toMatchObject({ rows: 1_050, duplicateKeys: 50, ok: false });
    expect((await getJson(v2.url + '/kpis')).body.kpis.loanCount).toBe(1_050);
  });

  it('V1 and V2 lose exactly the same rows, so their KPIs still agree under the fault', async () => {
    await Promise.all([v1, v2].map((s) => postJson(s.url + '/admin/faults', { lostRows: 0.3 })));
    const [a, b] = await Promise.all([getJson(v1.url + '/integrity'), getJson(v2.url + '/integrity')]);
    expect(a.body.checksum).toBe(b.body.checksum);
    const [ka, kb] = await Promise.all([getJson(v1.url + '/kpis'), getJson(v2.url + '/kpis')]);
    expect(ka.body.kpis.loanCount).toBe(700);
    expect(kpiDifferences(ka.body.kpis, kb.body.kpis, 1e-4)).toEqual([]);
  });

  it('auditGap makes the next audit event skip that many sequence numbers', async () => {
    const { lastSeq } = (await getJson(v2.url + '/audit')).body;
    await postJson(v2.url + '/admin/faults', { auditGap: 3 });
    const { body } = await getJson(v2.url + `/audit?after=${lastSeq}`);
    expect(body.events[0].seq).toBe(lastSeq + 4); // the POST itself is the next event
  });

  it('memoryLeakMbPerSec grows the heap while set and frees it when cleared', async () => {
    await postJson(v2.url + '/admin/faults', { memoryLeakMbPerSec: 40 });
    await eventually(async () => (await getJson(v2.url + '/admin/faults')).body.status.leakedMb >= 8);
    const cleared = await del(v2);
    expect(cleared.body.status.leakedMb).toBe(0);
  });

  it('hangOnStop makes a running service ignore SIGTERM', async () => {
    const svc = await pool.start({ version: 'v2', dataDir });
    await postJson(svc.url + '/admin/faults', { hangOnStop: true });
    process.kill(svc.pid, 'SIGTERM');
    await eventually(async () => svc.logs().includes('ignoring signal'));
    expect((await getJson(svc.url + '/health')).body.status).toBe('ok');
    expect(await svc.stop(500)).toMatchObject({ signal: 'SIGKILL', killed: true });
  });

  it('refuses failOnStart at run time with a 400 that says how to set it', async () => {
    const res = await postJson(v2.url + '/admin/faults', { failOnStart: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'failOnStart' });
    expect(res.body.error).toMatch(/DEMO_FAULTS/);
  });

  it('rejects out-of-range values with a 400 listing the problem', async () => {
    const res = await postJson(v2.url + '/admin/faults', { lostRows: -1 });
    expect(res.status).toBe(400);
    expect(res.body.issues).toMatch(/lostRows/);
    expect((await getJson(v2.url + '/admin/faults')).body.faults).toEqual({});
  });

  it('records fault changes in the audit trail', async () => {
    await postJson(v2.url + '/admin/faults', { latencyMs: 1 });
    const { events } = (await getJson(v2.url + '/audit?after=0&limit=10000')).body;
    expect(
      events.some((e: { path?: string; method?: string }) => e.path === '/admin/faults' && e.method === 'POST'),
    ).toBe(true);
  });
});

describe('breakdowns and the one-group drift', () => {
  it('GET /kpis carries every breakdown, equal to what ?by= computes, beside unchanged totals', async () => {
    const all = (await getJson(v1.url + '/kpis')).body;
    expect(Object.keys(all.breakdowns)).toEqual(['segment', 'region', 'product']);
    for (const by of ['segment', 'region', 'product']) {
      const one = (await getJson(`${v1.url}/kpis?by=${by}`)).body;
      expect(all.breakdowns[by]).toEqual(one.groups);
      expect(one.kpis).toEqual(all.kpis);
    }
    // V2 computes the same breakdowns its own way
    const v2All = (await getJson(v2.url + '/kpis')).body;
    for (const [by, groups] of Object.entries(all.breakdowns as Record<string, Record<string, Kpis>>)) {
      for (const [g, kpis] of Object.entries(groups))
        expect(kpiDifferences(kpis, v2All.breakdowns[by][g], 1e-9)).toEqual([]);
    }
  });

  it('groupDrift moves one KPI of one group only: the totals and every other group stay true', async () => {
    const before = (await getJson(v2.url + '/kpis')).body;
    const set = await postJson(v2.url + '/admin/faults', { groupDrift: { group: 'sme', kpi: 'par30', relative: 0.2 } });
    expect(set.body.faults).toEqual({ groupDrift: { group: 'sme', kpi: 'par30', relative: 0.2 } });
    const after = (await getJson(v2.url + '/kpis')).body;
    expect(after.kpis).toEqual(before.kpis);
    expect(after.breakdowns.segment.sme.par30).toBeCloseTo(before.breakdowns.segment.sme.par30 * 1.2, 12);
    expect({ ...after.breakdowns.segment.sme, par30: 0 }).toEqual({ ...before.breakdowns.segment.sme, par30: 0 });
    expect(after.breakdowns.region).toEqual(before.breakdowns.region);
    expect((await getJson(v2.url + '/kpis?by=segment')).body.groups.sme.par30).toBe(after.breakdowns.segment.sme.par30);
  });

  it('groupDrift names a known group; the env form is group[:kpi]:relative', async () => {
    const res = await postJson(v2.url + '/admin/faults', { groupDrift: { group: 'atlantis', relative: 0.1 } });
    expect(res.status).toBe(400);
    expect(res.body.issues).toMatch(/groupDrift\.group/);
    expect(faultsFromEnv({ DEMO_FAULT_GROUP_DRIFT: 'north:nplRatio:0.1' })).toEqual({
      groupDrift: { group: 'north', kpi: 'nplRatio', relative: 0.1 },
    });
    expect(faultsFromEnv({ DEMO_FAULT_GROUP_DRIFT: 'mortgage:-0.05' })).toEqual({
      groupDrift: { group: 'mortgage', kpi: 'all', relative: -0.05 },
    });
  });
});
