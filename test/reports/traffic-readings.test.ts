/** Who served at each moment of the monitoring, as the router said: report (JSON, Markdown), status and UI details. */
import { buildReport } from '../../activities/reports/report-content';
import { renderMarkdown } from '../../activities/reports/report-markdown';
import { renderMonitoring } from '../../client/render-monitoring';
import { renderMonitoringDetails } from '../../workflows/monitoring-details';
import type { MonitoringView } from '../../domain/monitoring-model';
import { rolledBackView } from './view-fixture';

const H = 3_600_000;
const withTraffic = (): MonitoringView => ({
  ...rolledBackView(),
  traffic: [
    { offsetMs: 0, at: '2026-11-28T00:00:00.000Z', label: 'monitoring start', summary: 'V2 100%' },
    {
      offsetMs: H,
      at: '2026-11-28T01:00:00.000Z',
      label: 'Hour 1 validation · Hour 1 decision point',
      summary: 'V2 100%',
    },
    { offsetMs: 3 * H, at: '2026-11-28T03:00:00.000Z', label: 'after the rollback', summary: 'V1 100%' },
  ],
});

test('the report keeps every reading, and the Markdown shows them as a table', () => {
  const report = buildReport('demo', withTraffic());
  expect(report.traffic!.map((t) => `${t.label}: ${t.summary}`)).toEqual([
    'monitoring start: V2 100%',
    'Hour 1 validation · Hour 1 decision point: V2 100%',
    'after the rollback: V1 100%',
  ]);
  const md = renderMarkdown(report);
  expect(md).toContain('## Traffic (read back from the router)');
  expect(md).toContain('| Hour 3 (2026-11-28T03:00:00.000Z) | after the rollback | V1 100% |');
});

test(
  'without readings (no traffic section, or a report from before) ' + 'the report has no traffic key and no section',
  () => {
    const report = buildReport('demo', rolledBackView());
    expect('traffic' in report).toBe(false);
    expect(renderMarkdown(report)).not.toContain('## Traffic');
  },
);

test('status and the UI details show the latest readings', () => {
  const view = withTraffic();
  expect(renderMonitoring(view)).toContain('  router Hour 3 after the rollback: V1 100%');
  expect(renderMonitoringDetails(view)).toContain('- router Hour 0 monitoring start: V2 100%');
});
