/**
 * scripts/components.sh, as scripts/demo.sh runs it, on free ports and a temp folder: starts a
 * real PostgreSQL and Prometheus, is idempotent, prints their URLs, stops both.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, REPO } from '../helpers/demo-fixture';

test('start (twice), status, env, stop', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-components-'));
  fs.chmodSync(dir, 0o755); // as root the cluster runs as the postgres user, which must reach it
  const env = { ...process.env, DEMO_COMPONENTS_DIR: dir, DEMO_PG_PORT: String(await freePort()), DEMO_PROM_PORT: String(await freePort()) };
  const sh = (arg: string) => execFileSync('bash', [path.join(REPO, 'scripts/components.sh'), arg], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    sh('start');
    expect(sh('status')).toBe(`postgresql: running on 127.0.0.1:${env.DEMO_PG_PORT}\nprometheus: running on http://127.0.0.1:${env.DEMO_PROM_PORT} (pid ${fs.readFileSync(path.join(dir, 'prometheus/pid'), 'utf8').trim()})\n`);
    const again = execFileSync('bash', ['-c', `"${REPO}/scripts/components.sh" start 2>&1`], { env, encoding: 'utf8' });
    expect(again).not.toMatch(/starting|initialising/);
    const urls = Object.fromEntries([...sh('env').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(urls).toEqual({ DEMO_WAREHOUSE_URL: `postgres://postgres:demo@127.0.0.1:${env.DEMO_PG_PORT}/postgres`, DEMO_PROMETHEUS_URL: `http://127.0.0.1:${env.DEMO_PROM_PORT}` });
    const client = new pg.Client(urls.DEMO_WAREHOUSE_URL);
    await client.connect();
    expect((await client.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
    await client.end();
    const targets = (await (await fetch(`${urls.DEMO_PROMETHEUS_URL}/api/v1/status/config`)).json()) as { data: { yaml: string } };
    expect(targets.data.yaml).toMatch(/job_name: loans-v1[\s\S]*127\.0\.0\.1:8101[\s\S]*job_name: loans-v2[\s\S]*127\.0\.0\.1:8102/);
  } finally {
    sh('stop');
  }
  expect(sh('status')).toBe('postgresql: stopped\nprometheus: stopped\n');
  fs.rmSync(dir, { recursive: true, force: true });
});
