import {
  CHECK_NAMES,
  overallStatus,
  summarizeReport,
  type CheckResult,
  type CheckName,
} from '../../domain/validation-report';
import { declaredNames, parsePrometheusText, readingFrom, sumMetric } from '../../activities/checks/service-metrics';
import { percentile } from '../../activities/checks/providers/http';

const check = (status: CheckResult['status'], metrics: Record<string, unknown> = {}, message = 'why'): CheckResult => ({
  status,
  metrics,
  message,
});
const all = (status: CheckResult['status']) =>
  Object.fromEntries(CHECK_NAMES.map((n) => [n, check(status)])) as Record<CheckName, CheckResult>;

describe('overallStatus', () => {
  test('is PASS when every check passes', () => {
    expect(overallStatus(all('PASS'))).toBe('PASS');
  });
  test('is WARN when one check warns and none fails', () => {
    expect(overallStatus({ ...all('PASS'), performance: check('WARN') })).toBe('WARN');
  });
  test('is FAIL when any check fails, whatever the others say', () => {
    expect(overallStatus({ ...all('WARN'), audit_trail: check('FAIL'), kpi_calculations: check('PASS') })).toBe('FAIL');
  });
});

test(
  'summarizeReport shows each passing check with its figure and a ' + 'failing one with its message, in check order',
  () => {
    const checks = {
      ...all('PASS'),
      kpi_calculations: check('PASS', { comparison: { maxRelative: 0 } }),
      audit_trail: check('FAIL', {}, '1 gap(s) in sequence numbers (3 → 9)'),
    };
    const line = summarizeReport({ status: overallStatus(checks), checks });
    expect(line).toBe(
      'FAIL: kpi_calculations PASS (max 0.0000%), data_integrity ' +
        'PASS, performance PASS, error_handling PASS, audit_trail FAIL ' +
        '(1 gap(s) in sequence numbers (3 → 9))',
    );
  },
);

const PROM = `# HELP demo_http_requests_total HTTP requests by route, method and status
# TYPE demo_http_requests_total counter
demo_http_requests_total{route="/kpis",method="GET",status="200",service="loans-analytics",version="v2"} 40
demo_http_requests_total{route="/kpis",method="GET",status="500",service="loans-analytics",version="v2"} 2
demo_http_requests_total{route="/odd",method="GET",status="404",note="a } and a \\" and, comma"} 3 1700000000000
# HELP demo_http_errors_total HTTP responses with status >= 500
# TYPE demo_http_errors_total counter
demo_http_errors_total{route="/kpis",status="500"} 2
process_resident_memory_bytes 73400320
process_cpu_seconds_total 1.5e0
demo_http_request_duration_seconds_bucket{le="+Inf",route="/kpis"} 42
nodejs_eventloop_lag_seconds NaN
`;

describe('Prometheus parsing', () => {
  test('reads names, labels (with escapes and braces inside quotes), values and skips timestamps', () => {
    const samples = parsePrometheusText(PROM);
    expect(samples.find((s) => s.labels.route === '/odd')).toEqual({
      name: 'demo_http_requests_total',
      labels: { route: '/odd', method: 'GET', status: '404', note: 'a } and a " and, comma' },
      value: 3,
    });
    expect(samples.find((s) => s.name === 'demo_http_request_duration_seconds_bucket')?.labels.le).toBe('+Inf');
    expect(samples.find((s) => s.name === 'process_cpu_seconds_total')?.value).toBe(1.5);
    expect(Number.isNaN(samples.find((s) => s.name === 'nodejs_eventloop_lag_seconds')?.value)).toBe(true);
  });

  test('reads only the names asked for, the same samples as a full read', () => {
    const only = parsePrometheusText(PROM, new Set(['demo_http_requests_total', 'process_cpu_seconds_total']));
    expect(new Set(only.map((s) => s.name))).toEqual(
      new Set(['demo_http_requests_total', 'process_cpu_seconds_total']),
    );
    expect(only).toEqual(
      parsePrometheusText(PROM).filter(
        (s) => s.name === 'demo_http_requests_total' || s.name === 'process_cpu_seconds_total',
      ),
    );
  });

  test('sums a counter over all its label sets and says undefined for a metric it never saw', () => {
    const samples = parsePrometheusText(PROM);
    expect(sumMetric(samples, 'demo_http_requests_total')).toBe(45);
    expect(sumMetric(samples, 'demo_http_requests')).toBeUndefined();
  });

  test('gives requests, errors, memory in MB and CPU seconds, and lists the metrics it could not find', () => {
    expect(readingFrom(PROM, 'demo_http_requests_total', 'demo_http_errors_total')).toEqual({
      requests: 45,
      errors: 2,
      residentMemoryMb: 70,
      cpuSecondsTotal: 1.5,
      missing: [],
    });
    const reading = readingFrom('process_cpu_seconds_total 2\n', 'http_requests_total', 'http_errors_total');
    expect(reading).toEqual({
      requests: 0,
      errors: 0,
      residentMemoryMb: null,
      cpuSecondsTotal: 2,
      missing: ['http_requests_total', 'http_errors_total', 'process_resident_memory_bytes'],
    });
  });

  test('counts a declared counter with no samples yet (no 5xx so far) as present and zero', () => {
    const text = '# TYPE demo_http_errors_total counter\ndemo_http_requests_total{a="b"} 7\n';
    expect(declaredNames(text).has('demo_http_errors_total')).toBe(true);
    expect(readingFrom(text, 'demo_http_requests_total', 'demo_http_errors_total')).toMatchObject({
      requests: 7,
      errors: 0,
    });
    expect(readingFrom(text, 'demo_http_requests_total', 'demo_http_errors_total').missing).not.toContain(
      'demo_http_errors_total',
    );
  });

  test('a selector counts only the series that are traffic: health checks and scrapes never dilute the rate', () => {
    const text = [
      'demo_http_requests_total{route="/kpis",status="200",kind="user"} 94',
      'demo_http_requests_total{route="/kpis",status="500",kind="user"} 6',
      'demo_http_requests_total{route="/health",status="200",kind="probe"} 2400',
      'demo_http_requests_total{route="/metrics",status="200",kind="scrape"} 60',
      'demo_http_errors_total{route="/kpis",status="500",kind="user"} 6',
      'demo_http_errors_total{route="/health",status="503",kind="probe"} 1',
    ].join('\n');
    expect(
      readingFrom(text, 'demo_http_requests_total{kind="user"}', 'demo_http_errors_total{kind="user"}'),
    ).toMatchObject({ requests: 100, errors: 6 });
    expect(
      readingFrom(text, 'demo_http_requests_total{route!~"/health|/metrics"}', 'demo_http_errors_total{route=~"/k.*"}'),
    ).toMatchObject({ requests: 100, errors: 6 });
    // without one, the router's checks make 6% read as 0.2%
    expect(readingFrom(text, 'demo_http_requests_total', 'demo_http_errors_total')).toMatchObject({
      requests: 2560,
      errors: 7,
    });
  });

  test('skips garbage lines instead of throwing', () => {
    expect(parsePrometheusText('not a metric line at all\n{x="y"} 1\nok_metric{a="unterminated} 3\nfine 4\n')).toEqual([
      { name: 'fine', labels: {}, value: 4 },
    ]);
  });
});

test('percentile is nearest-rank over sorted samples', () => {
  const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
  expect(percentile(sorted, 50)).toBe(10);
  expect(percentile(sorted, 95)).toBe(19);
  expect(percentile(sorted, 100)).toBe(20);
  expect(percentile([], 95)).toBe(0);
});
