/** Reports of gaps and of short or early-ended monitoring, from hand-made views (pure, no server). */
import { buildReport } from '../../activities/reports/report-content';
import { renderMarkdown } from '../../activities/reports/report-markdown';
import { monitoringCharts } from '../../domain/monitoring-charts';
import { renderChart } from '../../infra/chart-svg';
import { renderMonitoring } from '../../client/render-monitoring';
import type { MonitoringView } from '../../domain/monitoring-model';
import { catchUp, timetable } from '../../domain/monitoring-schedule';
import { completedView } from '../reports/view-fixture';

const H = 3_600_000;
const M = 60_000;

test(
  'an early-ended monitoring with no probe says "no samples", its ' + 'duration in minutes, and charts say "no data"',
  () => {
    const view: MonitoringView = {
      ...completedView(),
      status: 'ROLLED_BACK',
      message: 'rollback requested',
      elapsedMs: 0,
      rows: [],
      decisions: [],
      votes: [],
      probes: 0,
      gaps: [],
      unmeasuredMs: 0,
    };
    const report = buildReport('demo', view);
    expect(report.uptimePct).toBeNull();
    const md = renderMarkdown(report);
    expect(md).toMatch(/^# Monitoring ended: ROLLED_BACK after 0 s of 24 h — demo\n/);
    expect(md).toContain('- Uptime: no samples (nothing was measured)');
    expect(md).toContain(
      '- Samples: 0 reading(s) of V2 (sentinel probes and ' + 'validations) — monitoring ended before the first probe',
    );
    expect(md).toContain('_No checkpoint ran: the monitoring ended before its first validation._');
    expect(renderChart(monitoringCharts(view)[0].options)).toContain('no data: nothing was measured in this period');
    expect(renderMonitoring(view)).toContain('uptime: no samples yet');
  },
);

test(
  'a gap is unmeasured in the report, the checkpoint table and ' + 'the charts; a finished monitoring asks for no vote',
  () => {
    const gap = {
      fromOffsetMs: 2 * H,
      toOffsetMs: 2 * H + 75_000,
      from: 'a',
      to: 'b',
      why: 'worker or server unreachable',
    };
    const view: MonitoringView = {
      ...completedView(),
      gaps: [gap],
      unmeasuredMs: 75_000,
      probes: 1400,
      openDecision: { label: 'Hour 24 final sign-off', roles: ['engineering'], deadlineOffsetMs: 26 * H },
    };
    const md = renderMarkdown(buildReport('demo', view));
    expect(md).toContain(
      '- Uptime: **100%** of measured time; 1.3 min not measured (1 ' + 'gap: worker or server unreachable)',
    );
    const table = md.split('\n').filter((l) => l.startsWith('| Hour'));
    expect(table[3]).toBe(
      '| Hour 2–Hour 2.02 | not measured: worker or server unreachable (1.3 min, a → b) | | | | | |',
    );
    expect(table[2]).toMatch(/^\| Hour 2 \(/); // the gap sits after the row it follows
    expect(renderChart(monitoringCharts(view)[0].options)).toContain('not measured');
    const terminal = renderMonitoring(view);
    expect(terminal).toContain('uptime 100% of measured time, 1.3 min not measured (1 gap)');
    expect(terminal).toMatch(/Hour 2–2\.02 +not measured for 1\.3 min: worker or server unreachable/);
    expect(terminal).not.toContain('cutover approve'); // COMPLETED: no vote to send
  },
);

test(
  'catching up after an outage skips the missed probes, runs the ' +
    'latest validation once, opens every missed decision point',
  () => {
    const table = timetable({
      duration: '24h',
      cadence: [{ until: '8h', every: '30m' }],
      sentinelEvery: '1m',
      sentinelRequests: 5,
      summaryEvery: '4h',
      decisionPoints: [{ at: '1h', label: 'h1', roles: ['e'], timeout: '1h', onTimeout: 'continue' }],
    } as never);
    expect(catchUp(table, 50 * M, 95 * M + 20_000)).toEqual({
      lastAt: 95 * M,
      validationAt: 90 * M,
      decisions: [{ index: 0, at: H }],
      skippedProbes: 43,
    });
  },
);

test('a short monitoring with no checkpoint yet shows what its sentinel measured, unhealthy probes marked', () => {
  const samples = [
    { offsetMs: 1 * M, at: '2025-12-27T09:01:00.000Z', healthy: true, errorRatePct: 0, memoryMb: 61.5, cpuPct: 2.1 },
    {
      offsetMs: 2 * M,
      at: '2025-12-27T09:02:00.000Z',
      healthy: false,
      errorRatePct: 12.5,
      memoryMb: 61.7,
      cpuPct: null,
      detail: 'HTTP 503 | draining',
    },
  ];
  const view: MonitoringView = {
    ...completedView(),
    status: 'ROLLED_BACK',
    elapsedMs: 2 * M,
    rows: [],
    decisions: [],
    votes: [],
    probes: 5,
    gaps: [],
    unmeasuredMs: 0,
    sentinelSamples: samples,
  };
  const report = buildReport('demo', view);
  expect(report.sentinel).toEqual({ probes: 5, kept: 2, samples });
  const md = renderMarkdown(report);
  expect(md).toContain('## Sentinel readings (the last 2 of 5 probes)');
  expect(md).toContain('| Hour 0.03 (2025-12-27T09:02:00.000Z) | **no** | 12.5 | 61.7 |  | HTTP 503 / draining |');
  expect(md).toMatch(/\| Hour 0\.02 \(2025-12-27T09:01:00\.000Z\) \| yes \| 0 \| 61\.5 \| 2\.1 \| {2}\|/);
  // a view without kept readings (older runs) has no such section
  expect(renderMarkdown(buildReport('demo', { ...view, sentinelSamples: undefined }))).not.toContain(
    'Sentinel readings',
  );
});
