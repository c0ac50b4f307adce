import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { CHECK_NAMES, type CheckName, type ValidationReport } from '../../domain/validation-report';
import { runProductionValidation, writeReport } from '../../activities/checks/production-validation';
import { productionValidation, validateProduction } from '../../activities/post-cutover-check';
import { FailureType } from '../../activities/failure-types';
import { cleanupDemos, runningDemo, setFaults } from './validation-helpers';
import { captureBaseline } from '../../activities/checks/baseline-store';
import type { DemoFixture } from '../helpers/demo-fixture';

/** V1's answers as the shadow run hands them over (here from `role`, before any fault). */
const baselineOf = async (f: DemoFixture, role: 'v1' | 'v2' = 'v2') => (await captureBaseline(f.loaded(), role)).values;

afterEach(cleanupDemos);

const statuses = (report: ValidationReport) => Object.fromEntries(CHECK_NAMES.map((n) => [n, report.checks[n].status]));
const allPassBut = (name: CheckName, status: string, extra: Partial<Record<CheckName, string>> = {}) => ({
  ...Object.fromEntries(CHECK_NAMES.map((n) => [n, 'PASS'])),
  [name]: status,
  ...extra,
});

const hasJq = (() => {
  try {
    execFileSync('jq', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

test(
  'a clean V2 checked against V1 KPIs passes all five checks and ' + 'its JSON report answers the runbook jq queries',
  async () => {
    const f = await runningDemo({ v1: true });
    const report = await runProductionValidation(f.loaded(), 'v2', { baseline: await baselineOf(f, 'v1') });
    expect(statuses(report)).toEqual(allPassBut('kpi_calculations', 'PASS'));
    expect(report).toMatchObject({ status: 'PASS', target: { role: 'v2', name: 'loans-v2', baseUrl: f.urls.v2 } });
    expect(report.checks.kpi_calculations.metrics).toMatchObject({
      comparison: { against: 'baseline', maxRelative: 0, compared: 11 },
    });
    // the /kpis body is longer than a result keeps: the latency figures survive its cut
    expect(report.checks.performance.metrics.result).toMatchObject({
      samples: 20,
      failed: 0,
      avgMs: expect.any(Number),
      p95Ms: expect.any(Number),
      value: { truncated: expect.any(String) },
    });

    const file = path.join(f.workdir, 'reports/production_validation_report.json');
    await writeReport(report, file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json.status).toBe('PASS');
    expect(Object.keys(json.checks)).toEqual([...CHECK_NAMES]);
    expect(Object.values(json.checks).map((c: any) => c.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    if (hasJq) {
      const jq = (filter: string) => execFileSync('jq', ['-c', filter, file], { encoding: 'utf8' }).trim();
      expect(jq('.status')).toBe('"PASS"');
      // jq's `keys` sorts; `keys_unsorted` keeps the report's (runbook) order.
      expect(JSON.parse(jq('.checks | keys'))).toEqual([...CHECK_NAMES].sort());
      expect(JSON.parse(jq('.checks | keys_unsorted'))).toEqual([...CHECK_NAMES]);
      expect(jq('.checks[] | .status').split('\n')).toEqual(Array(5).fill('"PASS"'));
    }
  },
);

test('with no baseline at all the KPI check warns "no baseline" and the report is WARN, not FAIL', async () => {
  const f = await runningDemo();
  const report = await productionValidation(f.loaded(), 'v2');
  expect(report.checks.kpi_calculations).toMatchObject({
    status: 'WARN',
    message: expect.stringMatching(/^inconclusive: no baseline/),
  });
  expect(report.status).toBe('WARN');
  await expect(validateProduction(f.loaded(), 'v2')).resolves.toMatchObject({
    status: 'WARN',
    summary: expect.stringMatching(/^WARN: kpi_calculations WARN \(inconclusive: no baseline/),
  });
});

test(
  'a KPI drift against the stored baseline file fails ' + 'kpi_calculations, and Phase 5 throws naming the drifted KPI',
  async () => {
    const f = await runningDemo({ mutate: (plan) => (plan.validation = { baselineFile: 'baseline.json' }) });
    const saved = await (await fetch(`${f.urls.v2}/kpis`)).json();
    fs.writeFileSync(path.join(f.workdir, 'baseline.json'), JSON.stringify(saved));
    await setFaults(f.urls.v2, { kpiDrift: { kpi: 'defaultRate', relative: 0.02 } });

    const report = await productionValidation(f.loaded(), 'v2');
    expect(report.status).toBe('FAIL');
    expect(statuses(report)).toEqual(allPassBut('kpi_calculations', 'FAIL'));
    expect(report.checks.kpi_calculations.message).toMatch(/^defaultRate off by 2\.000%/);
    expect(report.checks.kpi_calculations.metrics.comparison).toMatchObject({ against: 'baseline', ok: false });
    expect(
      (report.checks.kpi_calculations.metrics.comparison as { deviations: unknown[] }).deviations[0],
    ).toMatchObject({ path: 'defaultRate', ok: false });

    const failure = await validateProduction(f.loaded(), 'v2').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const af = failure as ApplicationFailure;
    expect(af).toMatchObject({ type: FailureType.ValidationFailed, nonRetryable: true });
    expect(af.message).toMatch(/FAILED: kpi_calculations: defaultRate off by 2\.000%/);
    expect((af.details?.[0] as ValidationReport).status).toBe('FAIL');
  },
);

test('lost rows fail data_integrity (and the KPIs computed before the loss no longer match)', async () => {
  const f = await runningDemo();
  const baseline = await baselineOf(f);
  await setFaults(f.urls.v2, { lostRows: 0.01 });
  const report = await runProductionValidation(f.loaded(), 'v2', { baseline });
  expect(report.status).toBe('FAIL');
  expect(statuses(report)).toEqual(allPassBut('data_integrity', 'FAIL', { kpi_calculations: 'FAIL' }));
  expect(report.checks.data_integrity.message).toMatch(/^fail: result\.value\.rows != result\.value\.expectedRows/);
  expect(report.checks.data_integrity.metrics.result).toMatchObject({
    value: { rows: 4950, expectedRows: 5000, checksumMatches: false, missingKeys: 50 },
  });
});

test('latency over validation.latencyFailMs fails performance', async () => {
  const f = await runningDemo({
    mutate: (plan) => {
      plan.validation = { latencyFailMs: 200 };
      plan.thresholds = { latencySamples: 3 };
    },
  });
  const baseline = await baselineOf(f);
  await setFaults(f.urls.v2, { latencyMs: 300 });
  const report = await runProductionValidation(f.loaded(), 'v2', { baseline });
  expect(report.status).toBe('FAIL');
  expect(statuses(report)).toEqual(allPassBut('performance', 'FAIL'));
  expect(report.checks.performance.message).toMatch(/^fail: result\.avgMs > 200\.0 \(3 × GET .*: avg \d+/);
  expect(report.checks.performance.metrics.result).toMatchObject({ samples: 3 });
});

test('an injected 50% error rate fails error_handling on the rate from /metrics', async () => {
  const f = await runningDemo();
  const baseline = await baselineOf(f);
  await setFaults(f.urls.v2, { errorRate: 0.5 });
  const report = await runProductionValidation(f.loaded(), 'v2', { baseline });
  expect(report.status).toBe('FAIL');
  expect(report.checks.error_handling.status).toBe('FAIL');
  expect(report.checks.error_handling.message).toMatch(
    /error_rate: fail: result\.value\.requests != null && .* > 0\.05 /,
  );
  const counters = (
    report.checks.error_handling.metrics.error_rate as { result: { value: { requests: number; errors: number } } }
  ).result.value;
  expect(counters.errors / counters.requests).toBeGreaterThan(0.05);
  // Half of the timed requests failed too: the performance figures are not trusted as a PASS.
  expect(report.checks.performance.status).not.toBe('PASS');
  expect((report.checks.performance.metrics.result as { failed: number }).failed).toBeGreaterThan(0);
});

test('an audit gap fails audit_trail: the sequence spans more numbers than it has events', async () => {
  const f = await runningDemo();
  const baseline = await baselineOf(f);
  await setFaults(f.urls.v2, { auditGap: 5 });
  const report = await runProductionValidation(f.loaded(), 'v2', { baseline });
  expect(report.status).toBe('FAIL');
  expect(statuses(report)).toEqual(allPassBut('audit_trail', 'FAIL'));
  expect(report.checks.audit_trail.message).toMatch(/^fail: result\.value\.lastSeq == 0 \|\| /);
  const seen = (report.checks.audit_trail.metrics.result as { value: { events: number; first: number; last: number } })
    .value;
  expect(seen.last - seen.first + 1 - seen.events).toBe(5);
});

test(
  'a service that is down fails every check with the connection ' +
    'error instead of throwing (the KPI compare WARNs: no answer to compare)',
  async () => {
    const f = await runningDemo();
    await f.cleanup();
    const report = await productionValidation(f.loaded(), 'v2', { 'kpi_calculations:par30': 0.1 });
    expect(statuses(report)).toEqual(
      allPassBut('kpi_calculations', 'WARN', {
        data_integrity: 'FAIL',
        performance: 'FAIL',
        error_handling: 'FAIL',
        audit_trail: 'FAIL',
      }),
    );
    expect(report.status).toBe('FAIL');
    expect(report.checks.data_integrity.message).toMatch(/fetch failed: ECONNREFUSED/);
  },
);
