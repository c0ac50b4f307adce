/**
 * `cutover dashboard` in headless Chromium during a short monitoring on the dev server, its
 * payloads encrypted: the page, read through the CLI's codec, grows its checkpoint table and its
 * charts without a reload, shows the open decision point's deadline, who still has to sign and
 * the exact vote command, and takes nothing but reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { codecDataConverter, workerDataConverter } from '../../infra/payload-codec';
import { bundleWorkflows, createWorker, startDevServer } from '../helpers/temporal-env';
import { createDemoFixture, freePort, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { startMonitoring } from '../helpers/after-cutover';
import { newPage, uiTest } from '../helpers/ui-browser';
import { waitFor } from '../helpers/wait-for';
import { runCutover } from '../helpers/cutover-cli';
import { newKeys } from '../codec/codec-helpers';
import { NGINX, nginxBaseConfig, runNginx } from '../helpers/nginx';

const OUTPUT = path.resolve(__dirname, '../../.data/test-output/ui');
const keys = newKeys();
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let uiPort: number;
let fixture: DemoFixture | undefined;
let dashboard: { url: string; child: ChildProcess } | undefined;

beforeAll(async () => {
  uiPort = await freePort();
  env = await startDevServer(['--log-level', 'error'], { uiPort });
  worker = await createWorker(env, await bundleWorkflows(), {
    dataConverter: workerDataConverter({ CUTOVER_CODEC_KEYS: keys }),
  });
  running = worker.run();
}, 180_000);
afterAll(async () => {
  if (dashboard && dashboard.child.exitCode === null) {
    const exited = new Promise((r) => dashboard!.child.once('exit', r));
    dashboard.child.kill('SIGTERM');
    await exited;
  }
  worker?.shutdown();
  await running;
  await fixture?.cleanup();
  await env?.teardown();
});

/** `bin/cutover dashboard --listen 127.0.0.1:0`, waited on until it prints its address. */
function startDashboard(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(path.join(REPO, 'bin/cutover'), ['dashboard', '--listen', '127.0.0.1:0', '--every', '1s'], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      CUTOVER_CODEC_KEYS: keys,
      CUTOVER_UI_URL: `http://127.0.0.1:${uiPort}`,
      CUTOVER_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dashboard listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`dashboard exited (${code}):\n${out}`)));
  });
}

const MONITORING = {
  duration: '10m',
  cadence: [{ until: '10m', every: '5s' }],
  sentinelEvery: '2s',
  summaryEvery: '10m',
  decisionPoints: [
    { at: '15s', label: 'Early sign-off', roles: ['engineering', 'operations'], timeout: '30m', onTimeout: 'continue' },
  ],
};

uiTest()(
  'the live page grows the checkpoint table and the charts without a reload, and an open ' +
    'decision point shows its deadline, who still has to sign and the vote command',
  async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    const client = new Client({
      connection: env.connection,
      namespace: 'default',
      dataConverter: codecDataConverter({ CUTOVER_CODEC_KEYS: keys }),
    });
    fixture = await createDemoFixture({
      mutate: (plan) =>
        Object.assign(plan, { monitoring: MONITORING, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
    });
    const handle = await startMonitoring(client, fixture, 'cutover-dashboard');
    const id = handle.workflowId;
    dashboard = await startDashboard();
    const page = await newPage();
    await page.goto(dashboard.url, { waitUntil: 'load' });
    // set once: a reload would drop it
    await page.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
    const row = page.locator(`#runs tr[data-id="${id}"]`);
    await waitFor(`${id} listed`, async () => (await row.count()) > 0);
    expect(await row.innerText()).toMatch(/monitoring/);
    await row.getByRole('link', { name: id }).click();

    const sheetRows = () => page.locator('#sheet tbody tr.checkpoint').count();
    const latencyPoints = async () =>
      Number(
        (await page
          .locator('.chart[data-name="latency"]')
          .getAttribute('data-points')
          .catch(() => null)) ?? 0,
      );
    const first = await waitFor('a first checkpoint on the page', async () => {
      const [rows, points] = [await sheetRows(), await latencyPoints()];
      return rows >= 1 && points >= 1 ? { rows, points } : undefined;
    });
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard-first-checkpoint.png'), fullPage: true });
    const later = await waitFor('more checkpoints and chart points on the same page', async () => {
      const [rows, points] = [await sheetRows(), await latencyPoints()];
      return rows > first.rows && points > first.points ? { rows, points } : undefined;
    });
    expect(later.points).toBe(later.rows);
    const chartSvg = await page.locator('.chart[data-name="latency"] svg').innerHTML();
    expect(chartSvg).toContain('Latency');
    // the plan's limits, drawn as in the final report (the error-rate line is always in view)
    expect(await page.locator('.chart[data-name="error-rate"] svg').textContent()).toContain('warn > 0.1%');
    const firstRow = await page.locator('#sheet tbody tr.checkpoint').first().innerText();
    expect(firstRow).toMatch(
      /Hour 0\.\d+\s+\d\d:\d\d:\d\d UTC\s+\d+\.\d\s+\d+\.\d{3}\s+(\d+\.\d|–)\s+(\d+\.\d|–)\s+PASS/,
    );

    const decision = page.locator('#decision');
    await waitFor('the open decision point on the page', async () =>
      (await decision.isVisible()) ? (await decision.innerText()).includes('Early sign-off') : undefined,
    );
    const text = await decision.innerText();
    expect(text).toMatch(/Deadline: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((29|30) min \d+ s left\)/);
    expect(text).toContain('Still to sign: engineering, operations');
    expect(text).toContain(`cutover approve ${id} --role engineering --as <your name>`);
    expect(text).toContain(`cutover approve ${id} --role operations --as <your name>`);
    expect(text).toMatch(/Temporal UI: Signal \(top right\) → name approveSignal, input \{"role": "engineering"/);
    expect(await page.locator('#d-title a').getAttribute('href')).toBe(
      `http://127.0.0.1:${uiPort}/namespaces/default/workflows/${encodeURIComponent(id)}`,
    );
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard-open-decision.png'), fullPage: true });

    // A vote from the CLI's side shows on the page: one role left, and only its command.
    await handle.executeUpdate('approve', { args: [{ role: 'engineering', approver: 'alice', decision: 'GO' }] });
    await waitFor('the vote on the page', async () =>
      (await decision.innerText()).includes('Still to sign: operations'),
    );
    expect(await decision.innerText()).not.toContain('--role engineering');
    expect(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard-after-vote.png'), fullPage: true });

    // What the page read was encrypted: a client without the keys cannot read it.
    await expect(env.client.workflow.getHandle(id).query('status')).rejects.toThrow(/encrypted|encoding/i);
    // Read-only, and answered only under a loopback name.
    const post = await fetch(`${dashboard.url}/api/runs`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: string }).error).toMatch(/read-only/);
    const rebound = await new Promise<number | undefined>((resolve, reject) =>
      http
        .get(`${dashboard!.url}/api/runs`, { headers: { host: 'attacker.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on('error', reject),
    );
    expect(rebound).toBe(421);

    await handle.terminate('test done');
    console.log(`screenshots in ${OUTPUT}`);
  },
  300_000,
);

/**
 * The nginx block of docs/operations/dashboard.md as written, its TLS lines dropped and its
 * addresses made this test's, plus one location that forwards the public Host as many configs do.
 */
function nginxFromDocs(dir: string, port: number, dashboardPort: number): string {
  const doc = fs.readFileSync(path.join(REPO, 'docs/operations/dashboard.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)![1]!;
  expect(block).toContain('proxy_pass http://127.0.0.1:8090/;');
  expect(block).not.toMatch(/^\s*proxy_set_header Host/m);
  const server = block
    .split('\n')
    .filter((l) => !/ssl_certificate/.test(l))
    .join('\n')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port};`)
    .replaceAll('127.0.0.1:8090', `127.0.0.1:${dashboardPort}`)
    .replace('/etc/nginx/cutover.htpasswd', path.join(dir, 'htpasswd'))
    .replace(
      /\}\s*$/,
      `  location /forwarded/ {\n    proxy_pass http://127.0.0.1:${dashboardPort}/;\n    proxy_set_header Host $host;\n  }\n}\n`,
    );
  // the workers read the password file per request: as root they would run as nobody, who cannot
  // enter this test's private temp folder (`user` is ignored, with a warning, when not root)
  return nginxBaseConfig(dir, server, `user ${os.userInfo().username};`);
}

(NGINX ? uiTest() : test.skip)(
  'behind nginx as the docs configure it: a login, the page under /cutover/, and a forwarded public Host refused',
  async () => {
    dashboard ??= await startDashboard();
    const dashboardPort = Number(new URL(dashboard.url).port);
    fs.mkdirSync(OUTPUT, { recursive: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-dashboard-nginx-'));
    fs.writeFileSync(path.join(dir, 'htpasswd'), 'lead:{PLAIN}wall-screen\n');
    const port = await freePort();
    const nginx = await runNginx(dir, port, nginxFromDocs(dir, port, dashboardPort));
    try {
      const base = nginx.publicUrl;
      const auth = { authorization: `Basic ${Buffer.from('lead:wall-screen').toString('base64')}` };
      const publicHost = { ...auth, host: 'cutover.example.com' };
      const get = (p: string, headers: Record<string, string>) =>
        new Promise<{ status?: number; location?: string; body: string }>((resolve, reject) =>
          http
            .get(`${base}${p}`, { headers }, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, body }));
            })
            .on('error', reject),
        );
      expect((await get('/cutover/', { host: 'cutover.example.com' })).status).toBe(401);
      expect((await get('/cutover/api/runs', publicHost)).status).toBe(200);
      const bare = await get('/cutover', publicHost);
      expect(bare.status).toBe(301);
      expect(bare.location).toMatch(/\/cutover\/$/);
      const forwarded = await get('/forwarded/api/runs', publicHost);
      expect(forwarded.status).toBe(421);
      expect(forwarded.body).toContain('Host \\"cutover.example.com\\" refused');
      expect(forwarded.body).toContain('docs/operations/dashboard.md');

      // The page itself under the prefix: its script and its data come through the proxy.
      const page = await newPage();
      await page.setExtraHTTPHeaders(auth);
      await page.goto(`${base}/cutover/`, { waitUntil: 'load' });
      await waitFor('the page polled through the proxy', async () =>
        Number((await page.getAttribute('body', 'data-polls')) ?? 0) >= 1 ? true : undefined,
      );
      expect(await page.locator('#error').innerText()).toBe('');
      await page.screenshot({ path: path.join(OUTPUT, 'dashboard-behind-nginx.png'), fullPage: true });
    } finally {
      await nginx.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  120_000,
);

test('a non-loopback --listen is refused unless --allow-remote says so, naming the fix', () => {
  const r = runCutover(['dashboard', '--listen', '0.0.0.0:8090']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/--listen 0\.0\.0\.0:8090: 0\.0\.0\.0 is not a loopback address/);
  expect(r.err).toMatch(/authenticating proxy .*or add --allow-remote/);
  const bad = runCutover(['dashboard', '--listen', '8090']);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/expected HOST:PORT such as 127\.0\.0\.1:8090/);
});
