/** The default check list as data, baselines in their one format, and results that keep every number. Pure. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkPlan } from '../../domain/plan-check';
import { defaultChecks } from '../../domain/default-checks';
import { mergeBaselines, valuesOf } from '../../domain/baseline';
import { baselineFromJson } from '../../activities/checks/baseline-store';
import { shrinkResult } from '../../domain/bounded-result';
import { checkListProblems } from '../../activities/checks/check-lint';
import type { LoadedPlan } from '../../domain/loaded-plan';

const raw = () => parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
const planOf = (extra: Record<string, unknown> = {}) => {
  const result = checkPlan({ ...raw(), ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
};
const loadedOf = (extra: Record<string, unknown> = {}): LoadedPlan => ({
  plan: planOf(extra),
  workdir: '/tmp',
  source: 'plan.yaml',
});
const SEED_KEYS = ['kpi_calculations', 'data_integrity', 'performance', 'error_handling', 'audit_trail'];

test(
  'a plan without checks runs the default list: the seed five ' + 'keys, thresholds from the plan, sentinel on /kpis',
  () => {
    const plan = planOf({ thresholds: { latencyWarnMs: 80, kpiTolerance: 0.002 } });
    expect([...new Set(plan.checks.map((c) => c.report ?? c.name))]).toEqual(SEED_KEYS);
    expect(plan.checks.find((c) => c.name === 'performance')!.warn).toBe('result.avgMs > 80.0 || result.failed > 0');
    expect(plan.checks.find((c) => c.name === 'kpi_calculations')!.compare).toMatchObject({
      against: 'v1',
      relative: 0.002,
    });
    expect(plan.monitoring.sentinelPath).toBe('/kpis');
    expect(checkListProblems(plan)).toEqual([]);
  },
);

test('checks: default and the default list written out give the same plan as no checks at all', () => {
  const none = planOf();
  expect(planOf({ checks: 'default' })).toEqual(none);
  const written = planOf({ checks: JSON.parse(JSON.stringify(none.checks)), monitoring: { sentinelPath: '/kpis' } });
  expect(written).toEqual(none);
});

test('an item default extends the list; a check named like a default one replaces it in place', () => {
  const own = { name: 'orders_up', http: { path: '/orders' } };
  const faster = { name: 'performance', http: { path: '/kpis', samples: 5 }, fail: 'result.avgMs > 50.0' };
  const plan = planOf({ checks: ['default', own, faster] });
  const names = plan.checks.map((c) => c.name);
  expect(names.slice(0, 3)).toEqual(['kpi_calculations', 'data_integrity', 'performance']);
  expect(names.at(-1)).toBe('orders_up');
  expect(names.filter((n) => n === 'performance')).toHaveLength(1);
  expect(plan.checks.find((c) => c.name === 'performance')!.http!.samples).toBe(5);
  expect(defaultChecks(plan).length + 1).toBe(plan.checks.length);
});

test('a misspelt checks value is refused with the fix', () => {
  const result = checkPlan({ ...raw(), checks: 'defaults' });
  expect(result.ok).toBe(false);
  expect(!result.ok && result.problems[0]).toMatchObject({
    path: 'checks',
    message: expect.stringMatching(/"default" for the default list/),
  });
});

describe('baseline files', () => {
  const loaded = loadedOf();
  const kpis = {
    version: 'v1',
    rows: 5000,
    kpis: { par30: 0.12, loanCount: 5000 },
    breakdowns: { region: { north: { par30: 0.1 } } },
  };

  test('a saved /kpis answer is mapped onto the compare check that asks for it, with its extract', () => {
    const read = baselineFromJson(loaded, kpis, 'v1-kpis.json');
    expect(read.values).toEqual({ 'kpi_calculations:par30': 0.12, 'kpi_calculations:loanCount': 5000 });
    expect(read.described).toBe('a raw provider answer, used for kpi_calculations (2 fields)');
  });

  test("a recorded baseline is read as is and says where it came from; another plan's is refused", () => {
    const record = {
      format: 'cutover-baseline/1',
      plan: loaded.plan.name,
      recordedAt: '2026-01-01T00:00:00Z',
      source: 'shadow run of c-1',
      target: 'v1',
      values: { 'kpi_calculations:par30': 0.12 },
    };
    expect(baselineFromJson(loaded, record, 'b.json')).toEqual({
      values: record.values,
      described: expect.stringMatching(
        /^a baseline recorded 2026-01-01T00:00:00Z \(shadow run of c-1, v1\): kpi_calculations \(1 fields\)/,
      ),
    });
    expect(() => baselineFromJson(loaded, { ...record, plan: 'other' }, 'b.json')).toThrow(
      /recorded for plan "other", not "abaco-loans"/,
    );
  });

  test('an answer no compare check asks for is refused, naming what would fit', () => {
    expect(() => baselineFromJson(loaded, { par30: 0.12 }, 'flat.json')).toThrow(
      /flat\.json is neither .* kpi_calculations \(GET \/kpis, extract kpis\)/,
    );
  });

  test('merging takes each check from the first source that has it', () => {
    const merged = mergeBaselines({ 'a:x': 1 }, { 'a:y': 2, 'b:z': 3 });
    expect(merged).toEqual({ 'a:x': 1, 'b:z': 3 });
    expect(valuesOf('b', merged)).toEqual({ z: 3 });
    expect(mergeBaselines(undefined, {})).toBeUndefined();
  });
});

test("a long answer keeps its numbers and the provider's figures; only its text is cut, marked", () => {
  const value = {
    kpis: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`kpi${i}`, i + 0.5])),
    note: 'x'.repeat(3000),
  };
  const shrunk = shrinkResult({ value, avgMs: 4.2, status: 200 });
  expect(shrunk).toMatchObject({ avgMs: 4.2, status: 200 });
  const kept = shrunk.value as { truncated: string; numbers: Record<string, number>; text: string };
  expect(kept.truncated).toMatch(/^\d+ characters, the first 4000 kept in "text"$/);
  expect(Object.keys(kept.numbers)).toHaveLength(400);
  expect(kept.numbers['kpis.kpi399']).toBe(399.5);
  expect(kept.text).toHaveLength(4000);
  expect(shrinkResult({ value: { a: 1 }, ms: 2 })).toEqual({ value: { a: 1 }, ms: 2 });
});
