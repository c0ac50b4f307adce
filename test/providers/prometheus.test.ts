/**
 * The prometheus provider against a real Prometheus scraping real demo services (V1 and V2, one
 * of each, one Prometheus, for the whole file): per-version templating, an error burst measured
 * over the window that clears after it, range queries, PromQL errors, no data, auth, unreachable.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prometheusProvider } from '../../activities/checks/providers/prometheus';
import { CheckConfigError, type ProviderAnswer } from '../../activities/checks/providers/provider';
import { generateDataset, startDemoService, type DemoService } from '../../demo/harness';
import { freePort } from '../helpers/demo-fixture';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus';
import { providerContext } from './context';

let prom: TestPrometheus;
let services: { v1: DemoService; v2: DemoService };
let dataDir: string;
let traffic: NodeJS.Timeout | undefined;

const ctx = (
  role: 'v1' | 'v2',
  window = '5m',
  prometheus: Record<string, unknown> = { address: prom.url },
  env: NodeJS.ProcessEnv = {},
) => providerContext({ role, window, prometheus, env });
const ask = (query: string, role: 'v1' | 'v2' = 'v2', extra: { window?: string; step?: string } = {}) =>
  prometheusProvider({ query, window: extra.window ?? '5m', step: extra.step }, ctx(role, extra.window));
/** Polls the provider (a real query each time) until its answer satisfies `done`. */
async function until(
  what: string,
  get: () => Promise<ProviderAnswer>,
  done: (a: ProviderAnswer) => boolean,
): Promise<ProviderAnswer> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const answer = await get();
    if (done(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`${what}: last answer ${JSON.stringify(answer)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const faults = (svc: DemoService, body: unknown) =>
  fetch(`${svc.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-promdata-'));
  generateDataset(dataDir, { rows: 2_000, seed: 7, csv: 'always' });
  // ports chosen first, so Prometheus (which takes seconds to scrape a new target) starts alongside
  const [p1, p2] = [await freePort(), await freePort()];
  const [v1, v2, started] = await Promise.allSettled([
    startDemoService({ version: 'v1', dataDir, port: p1 }),
    startDemoService({ version: 'v2', dataDir, port: p2 }),
    // job = the plan's service name, as scripts/components.sh configures the demo's Prometheus
    startPrometheus([
      { job: 'loans-v1', address: `127.0.0.1:${p1}` },
      { job: 'loans-v2', address: `127.0.0.1:${p2}`, labels: { env: 'test' } },
    ]),
  ]);
  if (v1.status === 'rejected' || v2.status === 'rejected' || started.status === 'rejected') {
    await Promise.all([v1, v2, started].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw [v1, v2, started].find((r) => r.status === 'rejected')?.reason;
  }
  services = { v1: v1.value, v2: v2.value };
  prom = started.value;
  // steady traffic on V2: what the error rate is measured over
  traffic = setInterval(
    () =>
      void fetch(`${services.v2.url}/audit?limit=1`).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      ),
    50,
  );
  await prom.waitForData('demo_dataset_rows{job="loans-v2"}');
  await prom.waitForData('demo_dataset_rows{job="loans-v1"}');
});
afterAll(async () => {
  clearInterval(traffic);
  await Promise.all([services?.v1.stop(), services?.v2.stop(), prom?.stop()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('{{ service }} and {{ version }} select each target; several series are a labelled map', async () => {
  const q = 'demo_dataset_rows{job="{{ service }}", version="{{ version }}"}';
  expect(await ask(q, 'v1')).toMatchObject({
    ok: true,
    value: 2000,
    summary: 'demo_dataset_rows{job="loans-v1", version="v1"} = 2000',
  });
  expect(await ask(q, 'v2')).toMatchObject({
    ok: true,
    value: 2000,
    fields: { series: [{ labels: expect.objectContaining({ job: 'loans-v2', env: 'test' }), value: 2000 }] },
  });
  const both = await ask('sum by (version) (demo_ready)');
  expect(both).toMatchObject({ ok: true, value: { 'version=v1': 1, 'version=v2': 1 } });
  expect(both.ok && both.fields?.series).toHaveLength(2);
});

test('an error burst is measured over the window and clears after it', async () => {
  const errorRate =
    'sum(rate(demo_http_errors_total{job="{{ service }}"}[{{ window ' +
    '}}])) / sum(rate(demo_http_requests_total{job="{{ service ' +
    '}}",route="/audit"}[{{ window }}]))';
  const get = () => prometheusProvider({ query: errorRate, window: '5s' }, ctx('v2', '5s'));
  // no errors yet: the errors counter has no series at all, so the ratio has no data
  expect(await get()).toEqual({ ok: false, inconclusive: expect.stringMatching(/^no data: .* matched no series/) });
  await faults(services.v2, { errorRate: 0.5 });
  const burst = await until('error rate rises to ~0.5', get, (a) => a.ok && (a.value as number) >= 0.4);
  expect(burst.ok && burst.value).toBeLessThanOrEqual(0.7); // 0.5 injected; rate() extrapolates a young series a little
  // a range query over the same window sees the burst too: its max, and samples at each step
  const range = await prometheusProvider({ query: errorRate, window: '5s', step: '1s' }, ctx('v2', '5s'));
  expect(range).toMatchObject({
    ok: true,
    fields: { range: { max: expect.any(Number), samples: expect.any(Number) } },
  });
  expect(range.ok && (range.fields?.range as { max: number }).max).toBeGreaterThanOrEqual(0.4);
  await faults(services.v2, { errorRate: null });
  // once the burst has left the window the rate is 0 again, though the lifetime counters still show it
  const cleared = await until('error rate back to 0', get, (a) => a.ok && a.value === 0);
  expect(cleared).toMatchObject({ ok: true, value: 0 });
  const lifetime = await prom.query('demo_http_errors_total{job="loans-v2"}');
  expect(Number(lifetime[0].value[1])).toBeGreaterThan(0);
});

test("bad PromQL is a config error carrying Prometheus' own message and the query", async () => {
  const err = await ask('sum(rate(demo_http_requests_total[5m])').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CheckConfigError);
  expect((err as Error).message).toMatch(
    /PromQL rejected by Prometheus: .*unclosed left parenthesis.* — query: sum\(rate\(demo_http_requests_total\[5m\]\)/,
  );
  await expect(ask('up{job="{{ target }}"}')).rejects.toThrow(/unknown template variable \{\{ target \}\}/);
});

test('no series is inconclusive "no data"; NaN is inconclusive', async () => {
  expect(await ask('demo_no_such_metric{job="{{ service }}"}')).toEqual({
    ok: false,
    inconclusive: 'no data: demo_no_such_metric{job="loans-v2"} matched no series',
  });
  expect(await ask('vector(0) / vector(0)')).toEqual({
    ok: false,
    inconclusive: expect.stringMatching(/is NaN .*division by zero/),
  });
});

test('an unreachable Prometheus is inconclusive', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const answer = await prometheusProvider(
    { query: 'up', window: '5m' },
    ctx('v2', '5m', { address: closed, timeout: '2s' }),
  );
  expect(answer).toEqual({
    ok: false,
    inconclusive: expect.stringMatching(/^Prometheus at .* did not answer: .*ECONNREFUSED/),
  });
});

test('bearer and basic credentials from env are sent; missing or refused ones are config errors', async () => {
  const seen: string[] = [];
  // an auth-requiring proxy in front of the real Prometheus
  const proxy = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
    const ok = ['Bearer s3cret', `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`].includes(
      req.headers.authorization ?? '',
    );
    if (!ok) return void res.writeHead(401).end('unauthorized');
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        void fetch(prom.url + String(req.url).replace(/^\/prom/, ''), {
          method: req.method,
          headers: { 'content-type': String(req.headers['content-type']) },
          body: Buffer.concat(chunks),
        }).then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()));
      });
  });
  const port = await new Promise<number>((r) =>
    proxy.listen(0, '127.0.0.1', () => r((proxy.address() as { port: number }).port)),
  );
  try {
    const address = `http://127.0.0.1:${port}/prom`; // a base path, kept
    const query = { query: 'demo_dataset_rows{job="{{ service }}"}', window: '5m' };
    const bearer = { address, bearerTokenEnv: 'PROM_TOKEN' };
    expect(await prometheusProvider(query, ctx('v2', '5m', bearer, { PROM_TOKEN: 's3cret' }))).toMatchObject({
      ok: true,
      value: 2000,
    });
    const basic = { address, usernameEnv: 'PROM_USER', passwordEnv: 'PROM_PASSWORD' };
    expect(
      await prometheusProvider(query, ctx('v2', '5m', basic, { PROM_USER: 'ops', PROM_PASSWORD: 'pa:ss' })),
    ).toMatchObject({ ok: true, value: 2000 });
    expect(seen).toEqual([
      '/prom/api/v1/query Bearer s3cret',
      `/prom/api/v1/query Basic ${Buffer.from('ops:pa:ss').toString('base64')}`,
    ]);
    await expect(prometheusProvider(query, ctx('v2', '5m', bearer, {}))).rejects.toThrow(
      /prometheus.bearerTokenEnv: environment variable PROM_TOKEN is not set/,
    );
    await expect(prometheusProvider(query, ctx('v2', '5m', bearer, { PROM_TOKEN: 'wrong' }))).rejects.toThrow(
      /refused the credentials \(401\)/,
    );
  } finally {
    proxy.close();
  }
});
