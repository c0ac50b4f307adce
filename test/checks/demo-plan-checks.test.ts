/**
 * The demo plan's checks as data (demo/cutover-plan.yaml: http, prometheus, sql, command, compare)
 * against the real demo services, warehouse and Prometheus: the seed's five keys, and every fault
 * the demo can inject seen by the check that owns it — a drift in one group the old totals-only
 * comparison passed included.
 */
import { createDemoFixture, type DemoFixture } from '../helpers/demo-fixture';
import { withDemoPlanChecks } from '../helpers/demo-plan-checks';
import type { DemoComponents } from '../helpers/demo-components';
import { startService } from '../../activities/service-control';
import { baselineFromShadow, runChecksAt } from '../../activities/checks/run-checks';
import { runProductionValidation } from '../../activities/checks/production-validation';
import { runCheck } from '../../activities/checks/run-check';
import { PROVIDERS } from '../../activities/checks/providers';
import { defaultChecks } from '../../domain/default-checks';
import { checkSchema } from '../../domain/check-schema';
import { setFaults, kpisOf } from '../validation/validation-helpers';
import type { FlatValues } from '../../domain/value-compare';
import { startLoad, type RunningLoad } from '../../bench/load-generator';

let f: DemoFixture;
let parts: DemoComponents;
let baseline: FlatValues;
let users: RunningLoad | undefined;
const SEED_KEYS = ['kpi_calculations', 'data_integrity', 'performance', 'error_handling', 'audit_trail'];

beforeAll(async () => {
  f = await createDemoFixture();
  parts = await withDemoPlanChecks(f);
  await startService(f.loaded(), 'v1');
  await startService(f.loaded(), 'v2');
  // V2 serves as after a switch: steady user traffic, enough for the plan's error_rate (it counts only
  // kind="user" requests and is inconclusive under 100 in its 2m window), for as long as the file runs.
  users = startLoad({ url: `${f.urls.v2}/kpis`, rate: 10, connections: 1, maxSeconds: 900 });
  await parts.prom.waitForData('sum(increase(demo_http_requests_total{job="loans-v2",kind="user"}[2m])) >= 100');
}, 120_000);
afterAll(async () => {
  await users?.stop();
  await f?.cleanup();
  await parts?.stop();
});
afterEach(() =>
  setFaults(f.urls.v2, { kpiDrift: null, groupDrift: null, lostRows: null, auditGap: null, latencyMs: null }),
);

const validate = () => runProductionValidation(f.loaded(), 'v2', { baseline, moment: 'phase5' });

test('the shadow run passes and records V1; Phase 5 yields exactly the seed five keys, all PASS', async () => {
  const shadow = await runChecksAt(f.loaded(), 'v2', 'shadow', { v1Live: true });
  expect(shadow.map((o) => [o.name, o.status])).toEqual([
    ['kpi_parity', 'PASS'],
    ['warehouse_parity', 'PASS'],
  ]);
  baseline = baselineFromShadow(shadow);
  expect(Object.keys(baseline).filter((k) => k.startsWith('warehouse_parity:')).length).toBeGreaterThan(100);
  const report = await validate();
  expect(Object.keys(report.checks)).toEqual(SEED_KEYS);
  expect(report.outcomes!.map((o) => `${o.name} ${o.status}${o.status === 'PASS' ? '' : ` ${o.message}`}`)).toEqual([
    'kpi_parity PASS',
    'warehouse_parity PASS',
    'integrity PASS',
    'latency PASS',
    'error_rate PASS',
    'bad_input PASS',
    'seed_validation PASS',
  ]);
  expect(report.status).toBe('PASS');
});

test(
  "a drift in one region only: the default list's totals-only " +
    "check passes it, the demo plan's checks FAIL it by name",
  async () => {
    const totalsBefore = await kpisOf(f.urls.v2);
    await setFaults(f.urls.v2, { groupDrift: { group: 'north', relative: 0.05 } });
    const totals = checkSchema.parse(defaultChecks(f.loaded().plan).find((c) => c.name === 'kpi_calculations'));
    const recorded = Object.fromEntries(Object.entries(totalsBefore).map(([k, v]) => [`kpi_calculations:${k}`, v]));
    const old = await runCheck(f.loaded(), totals, 'v2', {
      moment: 'phase5',
      baseline: recorded,
      providers: PROVIDERS,
    });
    expect(old.status).toBe('PASS');
    const report = await validate();
    expect(report.checks.kpi_calculations.status).toBe('FAIL');
    expect(report.checks.kpi_calculations.message).toMatch(/kpi_parity: breakdowns\.region\.north\.\w+ off by 5\.000%/);
  },
);

test.each([
  [
    'kpiDrift',
    { kpiDrift: { kpi: 'defaultRate', relative: 0.02 } },
    'kpi_calculations',
    /kpis\.defaultRate off by 2\.000%/,
  ],
  ['lostRows', { lostRows: 0.01 }, 'data_integrity', /fail: !result\.value\.ok/],
  ['auditGap', { auditGap: 5 }, 'audit_trail', /audit_trail FAIL|FAIL/],
  ['latencyMs', { latencyMs: 150 }, 'performance', /warn: result\.avgMs > 100\.0/],
])('the %s fault is seen by the check that owns it', async (_, faults, key, message) => {
  await setFaults(f.urls.v2, faults);
  const report = await validate();
  expect(report.checks[key].status).toBe(key === 'performance' ? 'WARN' : 'FAIL');
  expect(report.checks[key].message).toMatch(message);
});
