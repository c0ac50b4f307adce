/**
 * The check engine against a real service that is not the demo (two child processes under /api):
 * compare mode down to one region, CEL rules, inconclusive answers, several checks feeding one
 * report key, the shadow run's recorded values used once V1 is gone.
 */
import { runChecksAt, baselineFromShadow, reportFromOutcomes } from '../../activities/checks/run-checks';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { freePort } from '../helpers/demo-fixture';
import { PROVIDERS } from '../../activities/checks/providers';
import type { ProviderRegistry } from '../../activities/checks/run-check';
import type { Provider, ProviderContext } from '../../activities/checks/providers/provider';

let f: OrdersFixture;
beforeAll(async () => {
  f = await createOrdersFixture();
  await f.start('v1');
  await f.start('v2', { ORDERS_FAULT_DRIFT: 'east:0.05' });
});
afterAll(() => f.cleanup());

const parity = {
  name: 'summary_parity',
  report: 'kpi_calculations',
  at: ['shadow', 'phase5'],
  http: { path: '/summary' },
  compare: { against: 'v1', relative: 0.01 },
};

test('compare mode finds a drift confined to one region that the totals hide below tolerance', async () => {
  const loaded = f.loaded([parity, { ...parity, name: 'totals_only', http: { path: '/summary', extract: 'totals' } }]);
  const [byField, totals] = await runChecksAt(loaded, 'v2', 'shadow', { v1Live: true });
  // East is a quarter of revenue: +5% there moves the total by ~1.2%... so the totals check is given 2%.
  expect(byField.status).toBe('FAIL');
  // The total that moved comes first, the breakdown group that moved it after.
  expect(byField.message).toMatch(/^totals\.revenue off by 1\.\d+% .*, byRegion\.east\.revenue off by 5\.000%/);
  expect((byField.metrics.comparison as any).deviations[1]).toMatchObject({ path: 'byRegion.east.revenue', ok: false });
  expect(totals.metrics.comparison).toMatchObject({ compared: 2 });
  const loose = f.loaded([
    {
      ...parity,
      name: 'totals_only',
      http: { path: '/summary', extract: 'totals' },
      compare: { against: 'v1', relative: 0.02 },
    },
  ]);
  const [passes] = await runChecksAt(loose, 'v2', 'shadow', { v1Live: true });
  expect(passes).toMatchObject({ status: 'PASS', message: expect.stringMatching(/^all 2 fields within 2\.000%/) });
});

test("the shadow run's V1 values are what later moments compare with, V1 stopped or not", async () => {
  const loaded = f.loaded([
    { ...parity, compare: { against: 'v1', relative: 0.01, ignore: ['byRegion.east', 'totals.revenue'] } },
  ]);
  const shadow = await runChecksAt(loaded, 'v2', 'shadow', { v1Live: true });
  expect(shadow[0].status).toBe('PASS');
  const baseline = baselineFromShadow(shadow);
  expect(baseline['summary_parity:totals.orders']).toBe(400);
  const [later] = await runChecksAt(loaded, 'v1', 'phase5', { baseline });
  expect(later).toMatchObject({ status: 'PASS', metrics: { comparison: { against: 'baseline' } } });
  const [none] = await runChecksAt(loaded, 'v2', 'phase5', {});
  expect(none).toMatchObject({ status: 'WARN', inconclusive: expect.stringMatching(/^no baseline/) });
});

test('CEL rules decide: fail first, then warn, then pass; mixed int/double arithmetic works', async () => {
  const check = (rules: Record<string, string>) => ({
    name: 'orders',
    at: ['phase5'],
    http: { path: '/summary', extract: 'totals' },
    ...rules,
  });
  const run = async (rules: Record<string, string>) => (await runChecksAt(f.loaded([check(rules)]), 'v1', 'phase5'))[0];
  expect(await run({ fail: 'result.value.orders < 400', warn: 'result.value.revenue / 2 > 100.5' })).toMatchObject({
    status: 'WARN',
    rule: 'warn: result.value.revenue / 2 > 100.5',
  });
  expect(await run({ fail: 'result.value.orders * 1.5 == 600.0' })).toMatchObject({
    status: 'FAIL',
    message: expect.stringMatching(/^fail: result\.value\.orders \* 1\.5 == 600\.0/),
  });
  expect(await run({ pass: 'result.status == 200 && result.value.orders == 400' })).toMatchObject({ status: 'PASS' });
  expect(await run({ pass: 'result.value.orders > 1000' })).toMatchObject({
    status: 'FAIL',
    message: 'not true: result.value.orders > 1000',
  });
  // A rule over a field that is not there cannot decide: inconclusive, never a silent PASS.
  expect(await run({ fail: 'result.value.nope > 1' })).toMatchObject({
    status: 'WARN',
    inconclusive: expect.stringMatching(/rule fail: result\.value\.nope > 1 cannot be evaluated/),
  });
  expect(await run({ fail: 'result.value.orders' })).toMatchObject({
    inconclusive: expect.stringMatching(/not true or false/),
  });
});

test('an unexpected status FAILs; no answer is inconclusive and the plan says what that means', async () => {
  const missing = { name: 'missing', at: ['phase5'], http: { path: '/kpis' } };
  const [notFound] = await runChecksAt(f.loaded([missing]), 'v1', 'phase5');
  expect(notFound).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/answered HTTP 404/) });
  const down = f.loaded([
    { ...missing, name: 'down', http: { path: '/health' } },
    { ...missing, name: 'down_strict', http: { path: '/health' }, inconclusive: 'fail' },
    { ...missing, name: 'down_retry', http: { path: '/health' }, inconclusive: 'retry', retries: 2 },
  ]);
  down.plan.services.v1.baseUrl = `http://127.0.0.1:${await freePort()}/api`;
  const outcomes = await runChecksAt(down, 'v1', 'phase5', { providers: undefined });
  expect(outcomes.map((o) => o.status)).toEqual(['WARN', 'FAIL', 'FAIL']);
  expect(outcomes[0].inconclusive).toMatch(/ECONNREFUSED/);
  expect(outcomes[2].message).toMatch(/^still inconclusive after 2 attempts/);
});

test('at the sentinel an inconclusive: retry check is asked once: the next probe is its retry', async () => {
  const retried = {
    name: 'down_retry',
    at: ['phase5', 'sentinel'],
    http: { path: '/health' },
    inconclusive: 'retry',
    retries: 10,
  };
  const down = f.loaded([retried]);
  down.plan.services.v1.baseUrl = `http://127.0.0.1:${await freePort()}/api`;
  // 10 attempts 2 s apart would take 18 s: counted by the provider's calls, not the clock
  let calls = 0;
  const http = PROVIDERS.http as Provider<unknown>;
  const counting = {
    http: (spec: unknown, ctx: ProviderContext) => {
      calls++;
      return http(spec, ctx);
    },
  } as ProviderRegistry;
  const [atSentinel] = await runChecksAt(down, 'v1', 'sentinel', { providers: counting });
  expect(calls).toBe(1);
  expect(atSentinel).toMatchObject({
    status: 'WARN',
    message: expect.stringMatching(/^inconclusive \(asked again at the next probe\): .*ECONNREFUSED/),
  });
});

test(
  'several checks feed one report key: the worst status wins, ' + 'keys keep the plan order, the seed contract holds',
  async () => {
    const loaded = f.loaded([
      {
        name: 'health',
        report: 'error_handling',
        at: ['phase5'],
        http: { path: '/health' },
        pass: 'result.value.status == "ok"',
      },
      {
        name: 'orders',
        report: 'data_integrity',
        at: ['phase5'],
        http: { path: '/summary', extract: 'totals.orders' },
        fail: 'result.value != 400',
      },
      {
        name: 'no_route',
        report: 'error_handling',
        at: ['phase5'],
        http: { path: '/nope', expectStatus: 404 },
        warn: 'true',
      },
    ]);
    const outcomes = await runChecksAt(loaded, 'v1', 'phase5');
    const report = reportFromOutcomes(loaded, 'v1', outcomes, new Date().toISOString(), 1);
    expect(Object.keys(report.checks)).toEqual(['error_handling', 'data_integrity']);
    expect(report.status).toBe('WARN');
    expect(report.checks.error_handling).toMatchObject({
      status: 'WARN',
      message: expect.stringMatching(/^no_route: warn: true \(.*404/),
      metrics: { health: { status: 'PASS' }, no_route: { status: 'WARN' } },
    });
    expect(report.checks.data_integrity).toMatchObject({ status: 'PASS', metrics: { result: { value: 400 } } });
    expect(report.outcomes?.map((o) => o.name)).toEqual(['health', 'orders', 'no_route']);
  },
);
