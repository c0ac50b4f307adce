/**
 * The http provider against a real demo service behind a gateway base path (/api), plus the
 * older HTTP users (KPI fetch, sentinel) that used to drop that base path. One service and one
 * proxy for the whole file.
 */
import { checkSchema, httpProviderSchema, type HttpProviderSpec } from '../../domain/check-schema';
import { CHECK_LINTS } from '../../activities/checks/providers/lints';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { httpProvider, jmespathProblem } from '../../activities/checks/providers/http';
import { CheckConfigError, type ProviderAnswer } from '../../activities/checks/providers/provider';
import { captureBaseline } from '../../activities/checks/baseline-store';
import { compareChecksWithBaseline } from '../../activities/checks/shadow-checks';
import { sentinelProbe } from '../../activities/sentinel';
import { runChecksAt } from '../../activities/checks/run-checks';
import { startService } from '../../activities/service-control';
import { createDemoFixture, freePort, type DemoFixture } from '../helpers/demo-fixture';
import { providerContext, startApiProxy, type ApiProxy } from './support';

let fixture: DemoFixture;
let proxy: ApiProxy;
let loaded: LoadedPlan;
/** the same plan with V2 reachable only through the gateway: baseUrl http://127.0.0.1:P/api */
let behindApi: (prefix?: string) => LoadedPlan;

beforeAll(async () => {
  fixture = await createDemoFixture({ rows: 2_000 });
  loaded = fixture.loaded();
  await startService(loaded, 'v2');
  proxy = await startApiProxy(fixture.urls.v2);
  behindApi = (prefix = '/api') => ({
    ...loaded,
    plan: {
      ...loaded.plan,
      services: { ...loaded.plan.services, v2: { ...loaded.plan.services.v2, baseUrl: `${proxy.url}${prefix}` } },
    },
  });
});
afterAll(async () => {
  await proxy?.close();
  await fixture?.cleanup();
});

const spec = (input: Record<string, unknown>): HttpProviderSpec => httpProviderSchema.parse(input);
const run = (input: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, baseUrl = `${proxy.url}/api`) =>
  httpProvider(spec(input), providerContext(loaded, 'v2', env, baseUrl));
const okAnswer = (a: ProviderAnswer) => {
  if (!a.ok) throw new Error(`expected an answer, got inconclusive: ${a.inconclusive}`);
  return a;
};

test('the path is joined under the base path and a JMESPath extract picks one group KPI from the JSON', async () => {
  const direct = (await (await fetch(`${fixture.urls.v2}/kpis?by=segment`)).json()) as {
    groups: Record<string, { par30: number }>;
  };
  const answer = okAnswer(await run({ path: '/kpis?by=segment', extract: 'groups.retail.par30' }));
  expect(answer.value).toBe(direct.groups.retail.par30);
  expect(answer.fields).toMatchObject({
    status: 200,
    statusOk: true,
    ms: expect.any(Number),
    headers: { 'content-type': expect.stringContaining('json') },
  });
  expect(proxy.seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/kpis?by=segment' });
  expect(answer.summary).toContain(`GET ${proxy.url}/api/kpis?by=segment`);
});

test(
  'headersFromEnv are sent from the env var and appear nowhere in ' + 'the answer, its summary or a failure',
  async () => {
    const secret = 'Bearer s3cret-value-0f-the-token';
    const answer = okAnswer(
      await run(
        { path: '/health', headersFromEnv: { Authorization: 'TEST_HTTP_TOKEN' }, headers: { 'x-team': 'loans' } },
        { TEST_HTTP_TOKEN: secret },
      ),
    );
    expect(proxy.seen.at(-1)!.headers).toMatchObject({ authorization: secret, 'x-team': 'loans' });
    expect(JSON.stringify(answer)).not.toContain('s3cret');

    const unreachable = await run(
      { path: '/health', headersFromEnv: { Authorization: 'TEST_HTTP_TOKEN' } },
      { TEST_HTTP_TOKEN: secret },
      `http://127.0.0.1:${await freePort()}/api`,
    );
    expect(JSON.stringify(unreachable)).not.toContain('s3cret');

    const missing = await run({ path: '/health', headersFromEnv: { Authorization: 'TEST_HTTP_TOKEN' } }, {}).catch(
      (e: Error) => e,
    );
    expect(missing).toBeInstanceOf(CheckConfigError);
    expect((missing as Error).message).toMatch(
      /http header Authorization: environment variable TEST_HTTP_TOKEN is not set on the worker/,
    );
  },
);

test('samples: every request is timed and the answer carries avg, p50, p95, max', async () => {
  const before = proxy.seen.length;
  const answer = okAnswer(await run({ path: '/kpis', samples: 8, extract: 'kpis.loanCount' }));
  expect(proxy.seen.length - before).toBe(8);
  expect(answer.value).toBe(2_000);
  const f = answer.fields as Record<string, number>;
  expect(f).toMatchObject({ samples: 8, failed: 0, status: 200 });
  expect(f.p50Ms).toBeLessThanOrEqual(f.p95Ms);
  expect(f.p95Ms).toBeLessThanOrEqual(f.maxMs);
  expect(f.avgMs).toBeGreaterThan(0);
  expect(f.ms).toBeUndefined();
});

test(
  'a status outside expectStatus is an answer the rules see ' + '(statusOk false), and the expected one passes',
  async () => {
    const bad = okAnswer(await run({ path: '/kpis?by=nope', extract: 'kpis.par30' }));
    expect(bad.fields).toMatchObject({ status: 400, statusOk: false });
    expect(bad.value).toMatchObject({ error: expect.any(String), parameter: 'by' });
    expect(bad.summary).toMatch(/answered 400, not an expected status/);

    const expected = okAnswer(await run({ path: '/kpis?by=nope', expectStatus: [400, 422], extract: 'parameter' }));
    expect(expected).toMatchObject({ value: 'by', fields: { status: 400, statusOk: true } });
    const samples = okAnswer(await run({ path: '/kpis?by=nope', samples: 3 }));
    expect(samples.fields).toMatchObject({ samples: 3, failed: 3, statusOk: false });
  },
);

test(
  'parse: prometheus sums each metric over its series; parse: ' + 'text gives the body; a JSON body is sent as JSON',
  async () => {
    const metrics = okAnswer(await run({ path: '/metrics', parse: 'prometheus', extract: 'demo_dataset_rows' }));
    expect(metrics.value).toBe(2_000);
    const text = okAnswer(await run({ path: '/metrics', parse: 'text' }));
    expect(text.value).toEqual(expect.stringContaining('# TYPE demo_http_requests_total counter'));

    const echoed = okAnswer(
      await run({ method: 'POST', path: '/echo', body: { service: '{{ service }}', n: 1 } }, {}, proxy.url),
    );
    expect(echoed.value).toEqual({
      method: 'POST',
      contentType: 'application/json',
      body: '{"service":"loans-v2","n":1}',
    });
    const templated = okAnswer(
      await run(
        {
          method: 'PUT',
          path: '/echo',
          body: 'for {{ service }} {{ version }}',
          headers: { 'content-type': 'text/plain' },
        },
        {},
        proxy.url,
      ),
    );
    expect(templated.value).toMatchObject({ method: 'PUT', contentType: 'text/plain', body: 'for loans-v2 v2' });
  },
);

test('inconclusive: no answer (the cause unpacked), nothing at the extract path, a body that is not JSON', async () => {
  const refused = await run({ path: '/health' }, {}, `http://127.0.0.1:${await freePort()}/api`);
  expect(refused).toEqual({ ok: false, inconclusive: expect.stringMatching(/^no answer: .*ECONNREFUSED/) });
  const nothing = await run({ path: '/kpis', extract: 'kpis.noSuchKpi' });
  expect(nothing).toEqual({
    ok: false,
    inconclusive: expect.stringMatching(/answered 200 but there is nothing at kpis\.noSuchKpi$/),
  });
  const notJson = await run({ path: '/metrics' });
  expect(notJson).toEqual({ ok: false, inconclusive: expect.stringMatching(/not JSON .*set parse: text/) });
});

test(
  'a bad JMESPath expression is a config error before any ' + 'request; jmespathProblem says why for the plan check',
  async () => {
    const before = proxy.seen.length;
    await expect(run({ path: '/kpis', extract: 'kpis.[' })).rejects.toThrow(CheckConfigError);
    await expect(run({ path: '/kpis', extract: 'nope(kpis)' })).rejects.toThrow(
      /http\.extract "nope\(kpis\)": unknown JMESPath function nope\(\)/,
    );
    expect(proxy.seen.length).toBe(before);
    expect(jmespathProblem('groups.*.par30 | max(@)')).toBeUndefined();
    expect(jmespathProblem('kpis.[')).toMatch(/^not a JMESPath expression/);
    // plan check: the lint registered for every check with an http block
    expect(
      CHECK_LINTS.flatMap((lint) => lint(checkSchema.parse({ name: 'c', http: { extract: 'kpis.[' } }), 'checks.3')),
    ).toEqual([{ path: 'checks.3.http.extract', message: expect.stringMatching(/^not a JMESPath expression/) }]);
  },
);

test(
  'through the check runner: the rule reads the extracted value; ' + 'an unexpected status FAILs by default',
  async () => {
    const base = behindApi();
    const checks = [
      {
        name: 'par30_retail',
        at: ['phase5'],
        http: { path: '/kpis?by=segment', extract: 'groups.retail.par30' },
        fail: 'result.value > 0.9',
        warn: 'result.value > 0.5',
      },
      { name: 'latency', at: ['phase5'], http: { path: '/kpis', samples: 3 }, fail: 'result.failed > 0' },
      { name: 'bad_route', at: ['phase5'], http: { path: '/kpis?by=nope' } },
    ].map((c) => checkSchema.parse(c));
    const outcomes = await runChecksAt({ ...base, plan: { ...base.plan, checks } }, 'v2', 'phase5');
    expect(outcomes.map((o) => [o.name, o.status])).toEqual([
      ['par30_retail', 'PASS'],
      ['latency', 'PASS'],
      ['bad_route', 'FAIL'],
    ]);
    expect(outcomes[2].message).toMatch(/answered HTTP 400, not an expected status/);
  },
);

describe('the other HTTP users keep the base path', () => {
  test("a baseline capture and the rollback's compare read /api/kpis", async () => {
    const viaApi = behindApi();
    const { values, problems } = await captureBaseline(viaApi, 'v2');
    expect(problems).toEqual([]);
    expect(values['kpi_calculations:loanCount']).toBe(2_000);
    expect(proxy.seen.at(-1)!.url).toBe('/api/kpis');
    await expect(compareChecksWithBaseline(viaApi, 'v2', values)).resolves.toMatchObject({
      summary: expect.stringMatching(/^kpi_calculations PASS \(all \d+ fields within/),
    });
  });

  test('the sentinel probes under /api, and counts a 404 on its own request as an error', async () => {
    const good = await sentinelProbe(behindApi(), 'v2');
    expect(good).toMatchObject({
      healthy: true,
      syntheticRequests: 5,
      syntheticErrors: 0,
      requests: expect.any(Number),
      memoryMb: expect.any(Number),
    });
    // A gateway that serves /health but not the data routes: healthy, yet every probe request is lost.
    const half = await sentinelProbe(behindApi('/half'), 'v2');
    expect(half).toMatchObject({ healthy: true, syntheticRequests: 5, syntheticErrors: 5 });
  });
});
