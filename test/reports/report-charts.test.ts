/** The charts are real ECharts SVG: well-formed, with the series, axis titles and the decision markers. */
import { monitoringCharts, type ChartOptions } from '../../domain/monitoring-charts';
import { renderChart } from '../../infra/chart-svg';
import { completedView, rolledBackView } from './view-fixture';

/** Well-formedness without an XML parser dependency: one root, every tag closed in order. */
function expectWellFormedSvg(svg: string) {
  expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  for (const [, close, name, selfClose] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (close) expect(stack.pop()).toBe(name);
    else if (!selfClose) stack.push(name);
  }
  expect(stack).toEqual([]);
}
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );

test('renderChart draws the options with ECharts SSR: series line, axis titles, markers and limits', () => {
  const options: ChartOptions = {
    title: 'Latency',
    seriesName: 'avg latency',
    yAxisName: 'Latency (ms)',
    points: [
      { hours: 0.5, value: 10 },
      { hours: 1, value: 12 },
      { hours: 2, value: 30, status: 'FAIL' },
    ],
    markers: [
      { hours: 1, label: 'Hour 1 decision point: GO', kind: 'decision' },
      { hours: 2.5, label: 'Rollback', kind: 'rollback' },
    ],
    limits: [{ value: 25, label: 'target < 25 ms' }],
    maxHours: 3,
    width: 640,
    height: 320,
  };
  const svg = renderChart(options);
  expectWellFormedSvg(svg);
  // zrender's SVG painter: the size given to echarts.init, its profile attribute and generated classes.
  expect(svg).toMatch(/^<svg width="640" height="320"[^>]*baseProfile="full"/);
  expect(svg).toMatch(/class="zr\d+-cls-\d+"/);
  expect(texts(svg)).toEqual(
    expect.arrayContaining([
      'Latency',
      'Hours since the switch',
      'Latency (ms)',
      'Hour 1 decision point: GO',
      'Rollback',
      'target < 25 ms',
    ]),
  );
  // The series line in its colour, the FAIL point in red, the rollback marker in red.
  expect(svg).toMatch(/<path d="M[\d. ]+L[^"]*"[^>]*stroke="#2f7ed8"/);
  expect(svg).toContain('fill="#d9342b"');
  expect(svg).toMatch(/stroke="#d9342b"/);
  expect(svg).toMatch(/stroke-dasharray/);
});

test('monitoringCharts: latency, error rate and memory over 24 hours, with every decision marked', () => {
  const charts = monitoringCharts(completedView(), { latencyWarnMs: 100, errorRateWarnPct: 0.1, memoryDrift: 0.1 });
  expect(charts.map((c) => [c.name, c.options.yAxisName, c.options.maxHours])).toEqual([
    ['latency', 'Latency (ms)', 24],
    ['error-rate', 'Error rate (%)', 24],
    ['memory', 'Memory (MB)', 24],
  ]);
  expect(charts[0].options.points.map((p) => [p.hours, p.value])).toEqual([
    [0.5, 10],
    [1, 12],
    [2, 14],
    [8, 15],
    [23.5, 17],
    [24, 19],
  ]);
  // The seed's ±10% memory band is anchored at hour 1 (62 MB).
  expect(charts[2].options.limits).toEqual([
    { value: 68, label: 'hour 1 +10%' },
    { value: 56, label: 'hour 1 −10%' },
  ]);
  for (const chart of charts) {
    const svg = renderChart(chart.options);
    expectWellFormedSvg(svg);
    expect(texts(svg)).toEqual(
      expect.arrayContaining([
        chart.title,
        chart.options.yAxisName,
        'Hours since the switch',
        'Hour 1 decision point: GO',
        'Hour 8 decision point: GO',
        'Hour 24 final sign-off: GO',
      ]),
    );
  }
});

test('a rolled-back monitoring marks the rollback on every chart', () => {
  const charts = monitoringCharts(rolledBackView());
  for (const chart of charts) {
    expect(chart.options.markers.at(-1)).toEqual({
      hours: 3 + 2 / 60,
      label: 'Rollback: ROLLED_BACK',
      kind: 'rollback',
    });
    expect(texts(renderChart(chart.options))).toContain('Rollback: ROLLED_BACK');
  }
});
