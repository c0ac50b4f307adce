/**
 * How a user writes checks: `cutover plan init` gives a plan that passes `plan check` as written,
 * and `cutover check PLAN NAME` prints the raw value, the rule and the verdict, against a real
 * service that is not the demo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { runCutover } from '../helpers/cutover-cli';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';

let f: OrdersFixture;
let planFile: string;
beforeAll(async () => {
  f = await createOrdersFixture();
  await f.start('v1');
  await f.start('v2', { ORDERS_FAULT_DRIFT: 'east:0.05' });
  planFile = path.join(f.workdir, 'plan.yaml');
  const checks = [
    {
      name: 'orders',
      at: ['phase5'],
      http: { path: '/summary', extract: 'totals.orders' },
      warn: 'result.value < 500',
    },
    {
      name: 'parity',
      at: ['shadow', 'phase5'],
      http: { path: '/summary' },
      compare: { against: 'v1', relative: 0.01 },
    },
  ];
  const plan: Record<string, unknown> = f.plan(checks);
  delete plan.workdir; // a plan file's workdir is its own folder
  fs.writeFileSync(planFile, stringify(plan));
}, 60_000);
afterAll(() => f.cleanup());

test(
  'plan init writes a commented plan for a service that is not ' + 'the demo, valid as written, and never overwrites',
  () => {
    const file = path.join(f.workdir, 'new-plan.yaml');
    const init = runCutover(['plan', 'init', file, '--name', 'billing', '--v1-url', 'http://10.0.0.5:8080/api']);
    expect(init.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# /m);
    for (const provider of ['http:', 'prometheus:', 'command:']) expect(text).toContain(provider);
    expect(runCutover(['plan', 'check', file])).toMatchObject({
      code: 0,
      out: expect.stringContaining('plan "billing" is valid'),
    });
    expect(runCutover(['plan', 'init', file])).toMatchObject({
      code: 2,
      err: expect.stringContaining('nothing was overwritten'),
    });
  },
);

test('cutover check prints the raw value, the rule and the verdict; exit codes follow the verdict', () => {
  const warn = runCutover(['check', planFile, 'orders', '--target', 'v1']);
  expect(warn.code).toBe(10);
  expect(warn.out).toMatch(/raw: +400/);
  expect(warn.out).toMatch(/rule: +warn: result\.value < 500/);
  expect(warn.out).toMatch(/verdict: WARN/);

  const both = runCutover(['check', planFile, 'parity', '--target', 'both']);
  expect(both.code).toBe(11);
  // both: V1 is read live and is its own reference (as in the shadow run), so it agrees with itself
  const [onV1, onV2] = both.out.split(/(?=── parity on v2 )/);
  expect(onV1).toMatch(/^── parity on v1 /);
  expect(onV1).toMatch(/compare: against v1 live, 10 fields, max deviation 0\.0000%/);
  expect(onV1).toMatch(/verdict: PASS — all 10 fields within 1\.000% \(max 0\.0000%\)/);
  expect(onV2).toMatch(
    /parity on v2[\s\S]*compare: against v1 live[\s\S]*verdict: FAIL — totals\.revenue off by [\d.]+% .*, byRegion\.east\.revenue off by 5\.000%/,
  );

  expect(runCutover(['check', planFile, 'nope'])).toMatchObject({
    code: 2,
    err: expect.stringContaining("the plan's checks are: orders, parity"),
  });
});
