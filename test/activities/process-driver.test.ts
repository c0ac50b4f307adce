import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FailureType } from '../../activities/failure-types';
import { waitHealthy } from '../../activities/services/health';
import { isAlive, ProcessDriver, type ProcessSpec } from '../../activities/services/process-driver';
import { failureOf, freePort, tempDir } from './helpers';

/** A tiny service: answers /health; MODE=stubborn ignores SIGTERM, MODE=crash exits 3 at once. */
const SERVICE = `
const http = require('node:http');
const mode = process.env.MODE || 'normal';
if (mode === 'crash') { console.error('boom: failure-on-start fault'); process.exit(3); }
const server = http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ok', pid: process.pid }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => {
  if (mode === 'stubborn') return console.log('ignoring SIGTERM');
  console.log('SIGTERM received, exiting');
  server.close();
  process.exit(0);
});
`;

let dir: string;
const drivers: ProcessDriver[] = [];

async function makeDriver(mode = 'normal', settleMs = 300) {
  const port = await freePort();
  const spec: ProcessSpec = {
    driver: 'process',
    name: `svc-${mode}`,
    command: [process.execPath, 'service.js'],
    env: { PORT: String(port), MODE: mode },
    runDir: 'run',
    baseUrl: `http://127.0.0.1:${port}`,
    healthPath: '/health',
    startTimeout: '30s',
    stopGrace: '10s',
  };
  const driver = new ProcessDriver(spec, { cwd: dir, startSettleMs: settleMs });
  drivers.push(driver);
  return { spec, driver };
}
const pidOf = (driver: ProcessDriver) => Number(fs.readFileSync(driver.pidFile, 'utf8').trim().split(' ')[0]);

beforeEach(() => {
  dir = tempDir('process');
  fs.writeFileSync(path.join(dir, 'service.js'), SERVICE);
});
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.stop(0);
});

test('start spawns the command with a pid file and appends its output to the log', async () => {
  const { spec, driver } = await makeDriver();
  await driver.start();
  await waitHealthy(spec, 20_000);
  expect(driver.pidFile).toBe(path.join(dir, 'run', 'svc-normal.pid'));
  expect(isAlive(pidOf(driver))).toBe(true);
  expect(await driver.status()).toBe('running');
  expect(fs.readFileSync(driver.logFile, 'utf8')).toContain('listening on');
});

test('start is a no-op while the pid file names a live process', async () => {
  const { spec, driver } = await makeDriver();
  await driver.start();
  const pid = pidOf(driver);
  await driver.start();
  await waitHealthy(spec, 20_000);
  expect(pidOf(driver)).toBe(pid);
});

test('stop sends SIGTERM to the group and reports a graceful stop', async () => {
  const { spec, driver } = await makeDriver();
  await driver.start();
  await waitHealthy(spec, 20_000);
  const pid = pidOf(driver);
  expect(await driver.stop(10_000)).toEqual({ forced: false });
  expect(isAlive(pid)).toBe(false);
  expect(fs.existsSync(driver.pidFile)).toBe(false);
  expect(await driver.status()).toBe('stopped');
  expect(fs.readFileSync(driver.logFile, 'utf8')).toContain('SIGTERM received');
  expect(await driver.stop(10_000)).toEqual({ forced: false }); // idempotent
});

test('a restart appends to the log instead of truncating it', async () => {
  const { spec, driver } = await makeDriver();
  await driver.start();
  await waitHealthy(spec, 20_000);
  await driver.stop(10_000);
  await driver.start();
  await waitHealthy(spec, 20_000);
  expect(fs.readFileSync(driver.logFile, 'utf8').match(/listening on/g)).toHaveLength(2);
});

test('stop force-kills a service that ignores SIGTERM once the grace period is over', async () => {
  const { spec, driver } = await makeDriver('stubborn');
  await driver.start();
  await waitHealthy(spec, 20_000);
  const pid = pidOf(driver);
  expect(await driver.stop(300)).toEqual({ forced: true });
  expect(isAlive(pid)).toBe(false);
  expect(fs.readFileSync(driver.logFile, 'utf8')).toContain('ignoring SIGTERM');
});

test('a process that exits during start is reported with its exit code and log tail', async () => {
  const { driver } = await makeDriver('crash', 20_000);
  const failure = await failureOf(driver.start());
  expect(failure.type).toBe(FailureType.ServiceStartFailed);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('exit code 3');
  expect(failure.message).toContain('boom: failure-on-start fault');
  expect(fs.existsSync(driver.pidFile)).toBe(false);
});

test('a stale pid file counts as stopped and is removed', async () => {
  const { driver } = await makeDriver();
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  fs.mkdirSync(path.dirname(driver.pidFile), { recursive: true });
  fs.writeFileSync(driver.pidFile, `${dead}\n`);
  expect(await driver.status()).toBe('stopped');
  expect(fs.existsSync(driver.pidFile)).toBe(false);
});

test('the service outlives a short-lived process that started it and was then SIGKILLed', async () => {
  const { spec, driver } = await makeDriver();
  // Another node process starts the service, then dies the way a killed worker would.
  const launcher = `
    const { ProcessDriver } = require(${JSON.stringify(path.resolve(__dirname, '../../activities/services/process-driver.ts'))});
    const spec = JSON.parse(process.env.SPEC);
    new ProcessDriver(spec, { cwd: process.env.BASE, startSettleMs: 300 }).start().then(() => process.kill(process.pid, 'SIGKILL'));
  `;
  const env = { ...process.env, SPEC: JSON.stringify(spec), BASE: dir };
  const exit = await new Promise<NodeJS.Signals | null>((resolve) => {
    const child = execFile(process.execPath, ['--require', 'tsx/cjs', '-e', launcher], {
      env,
      cwd: path.resolve(__dirname, '../..'),
    });
    child.once('exit', (_code, signal) => resolve(signal));
  });
  expect(exit).toBe('SIGKILL');
  await waitHealthy(spec, 20_000);
  expect(await driver.status()).toBe('running');
  expect(await driver.stop(10_000)).toEqual({ forced: false });
});

test(
  'a pid file whose pid now belongs to another process counts as ' + 'stopped, and that process is left alone',
  async () => {
    const { driver } = await makeDriver();
    const stranger = spawnSync('sh', ['-c', 'sleep 60 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const pid = Number(stranger.stdout.trim());
    fs.mkdirSync(path.dirname(driver.pidFile), { recursive: true });
    fs.writeFileSync(driver.pidFile, `${pid} 1\n`); // right pid, wrong start time: a reused pid
    expect(await driver.status()).toBe('stopped');
    expect(await driver.stop(0)).toEqual({ forced: false });
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  },
);

test(
  "a service does not inherit the worker's Temporal credentials " + 'or secrets, only what the plan gives it',
  async () => {
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'env.js'),
      `require('node:fs').writeFileSync('env.json', ` + `JSON.stringify(process.env)); setInterval(() => {}, 1000);`,
    );
    const spec: ProcessSpec = {
      driver: 'process',
      name: 'env-dump',
      command: [process.execPath, 'env.js'],
      env: { DB_PASSWORD: 'from-plan' },
      runDir: 'run',
      baseUrl: `http://127.0.0.1:${port}`,
      healthPath: '/health',
      startTimeout: '30s',
      stopGrace: '1s',
    };
    process.env.TEMPORAL_API_KEY = 'worker-key';
    process.env.CUTOVER_SLACK_WEBHOOK = 'https://hooks.example/secret';
    const driver = new ProcessDriver(spec, { cwd: dir, startSettleMs: 300 });
    drivers.push(driver);
    try {
      await driver.start();
      while (!fs.existsSync(path.join(dir, 'env.json'))) await new Promise((r) => setTimeout(r, 50));
      const env = JSON.parse(fs.readFileSync(path.join(dir, 'env.json'), 'utf8'));
      expect(env.TEMPORAL_API_KEY).toBeUndefined();
      expect(env.CUTOVER_SLACK_WEBHOOK).toBeUndefined();
      expect(env.DB_PASSWORD).toBe('from-plan');
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      delete process.env.TEMPORAL_API_KEY;
      delete process.env.CUTOVER_SLACK_WEBHOOK;
    }
  },
);
