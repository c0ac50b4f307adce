import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnDemoService } from '../harness';
import { dataset, eventually, getJson, postJson, ServicePool, tempDir } from './support';

const pool = new ServicePool();
const dataDir = dataset(2_000, 7);
afterAll(() => pool.stopAll());

function exitOf(child: ReturnType<typeof spawnDemoService>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function inFlight(url: string): Promise<number> {
  const text = await (await fetch(url + '/metrics')).text();
  const m = /^demo_http_in_flight_requests\{[^}]*\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

describe('service lifecycle', () => {
  it.each(['v1', 'v2'] as const)('%s finishes an in-flight request on SIGTERM, then exits 0', async (version) => {
    const svc = await pool.start({ version, dataDir });
    await postJson(svc.url + '/admin/faults', { latencyMs: 1_500 });
    const pending = getJson(svc.url + '/kpis');
    await eventually(async () => (await inFlight(svc.url)) >= 1);
    process.kill(svc.pid, 'SIGTERM');
    const answered = await pending;
    expect(answered.status).toBe(200);
    expect(answered.body.kpis.loanCount).toBe(2_000);
    expect(await svc.exited).toEqual({ code: 0, signal: null });
    expect(svc.logs()).toContain('"msg":"draining"');
    await expect(fetch(svc.url + '/health')).rejects.toThrow();
  });

  it('exits 0 on SIGTERM when idle', async () => {
    const svc = await pool.start({ version: 'v2', dataDir });
    expect(await svc.stop()).toMatchObject({ code: 0, killed: false });
  });

  it('can restart on the same data dir and serve the same KPIs (what a restore relies on)', async () => {
    const first = await pool.start({ version: 'v2', dataDir });
    const before = (await getJson(first.url + '/kpis')).body.kpis;
    await first.stop();
    const second = await pool.start({ version: 'v2', dataDir });
    expect((await getJson(second.url + '/kpis')).body.kpis).toEqual(before);
  });

  it('exits 1 before listening when the data dir has no manifest', async () => {
    const child = spawnDemoService({ version: 'v2', dataDir: tempDir('empty') });
    expect(await exitOf(child)).toBe(1);
  });

  it('exits 1 when V1 is started on a data dir generated without CSV', async () => {
    const dir = tempDir('nocsv');
    const { generateDataset } = await import('../harness');
    generateDataset(dir, { rows: 10, seed: 1, csv: 'never' });
    const child = spawnDemoService({ version: 'v1', dataDir: dir });
    expect(await exitOf(child)).toBe(1);
  });

  it('exits 1 when the binary file is corrupt', async () => {
    const dir = tempDir('corrupt');
    fs.cpSync(dataDir, dir, { recursive: true });
    fs.truncateSync(path.join(dir, 'loans.col'), 5_000);
    expect(await exitOf(spawnDemoService({ version: 'v2', dataDir: dir }))).toBe(1);
  });

  it('exits 2 on an unknown version', async () => {
    const child = spawnDemoService({ version: 'v3' as 'v1', dataDir });
    expect(await exitOf(child)).toBe(2);
  });

  it('takes its settings from DEMO_VERSION and DEMO_DATA when no flags are given', async () => {
    const { spawn } = await import('node:child_process');
    const { SERVICE_MAIN } = await import('../harness');
    const child = spawn(process.execPath, ['--import', 'tsx', SERVICE_MAIN], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DEMO_VERSION: 'v1', DEMO_DATA: dataDir, DEMO_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(async () => out.includes('"msg":"ready"'));
      const port = Number(/"port":(\d+)/.exec(out)![1]);
      expect((await getJson(`http://127.0.0.1:${port}/health`)).body).toMatchObject({ version: 'v1', rows: 2_000 });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
