/**
 * Chart options drawn as SVG by Apache ECharts' server-side renderer (no DOM, no browser): one
 * metric over the hours since the switch, with its markers, limits and gaps. The report's SVG
 * files and the live page's inline charts are both drawn here.
 */
import * as echarts from 'echarts';
import type { CheckStatus } from '../domain/validation-report';
import type { ChartOptions } from '../domain/monitoring-charts';

// A FAIL or WARN checkpoint stands out on the line in the same colours the status table implies.
const STATUS_COLOR: Record<CheckStatus, string> = { PASS: '#2f7ed8', WARN: '#e8a33d', FAIL: '#d9342b' };

export function renderChart(o: ChartOptions): string {
  // ECharts clips a markLine outside the data's range: a threshold far above clean data stays hidden
  // (it would flatten the trend) unless the limit asks to be kept in view.
  const keep = (o.limits ?? []).filter((l) => l.keepInView).map((l) => l.value);
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: o.width ?? 900,
    height: o.height ?? 380,
  });
  try {
    chart.setOption({
      // No animation: SSR renders one frame, and an animated first frame would be empty.
      animation: false,
      backgroundColor: '#ffffff',
      title: { text: o.title, subtext: o.subtitle, left: 'center' },
      // Room on the right only for the threshold labels, which sit past the line's end.
      grid: { left: 80, right: o.limits?.length ? 110 : 40, top: 70, bottom: 60 },
      xAxis: {
        type: 'value',
        name: 'Hours since the switch',
        nameLocation: 'middle',
        nameGap: 32,
        min: 0,
        max: o.maxHours,
        interval: o.maxHours && o.maxHours >= 12 ? 2 : undefined,
      },
      yAxis: {
        type: 'value',
        name: o.yAxisName,
        nameLocation: 'middle',
        nameGap: 55,
        max: keep.length ? ({ max }: { max: number }) => Math.max(max, ...keep) : undefined,
      },
      // A chart without a single reading says so instead of drawing empty axes that look like "all fine".
      graphic: o.points.length
        ? []
        : [
            {
              type: 'text',
              left: 'center',
              top: 'middle',
              style: { text: 'no data: nothing was measured in this period', fontSize: 14, fill: '#7a7a7a' },
            },
          ],
      series: [
        {
          type: 'line',
          name: o.seriesName,
          showSymbol: true,
          symbolSize: 6,
          lineStyle: { width: 2, color: STATUS_COLOR.PASS },
          data: o.points.map((p) => ({
            value: [p.hours, p.value],
            itemStyle: { color: STATUS_COLOR[p.status ?? 'PASS'] },
          })),
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(160,160,160,0.25)' },
            label: { color: '#555', fontSize: 10, position: 'insideTop' as const },
            data: (o.gaps ?? []).map((g) => [{ xAxis: g.from, name: g.label }, { xAxis: g.to }]),
          },
          markLine: {
            // The default precision (2) rounds the line's position: a decision at 1 minute would sit at 1.2.
            precision: 6,
            symbol: 'none',
            silent: true,
            data: [
              ...o.markers.map((m) => ({
                xAxis: m.hours,
                name: m.label,
                lineStyle:
                  m.kind === 'rollback'
                    ? { color: '#d9342b', type: 'solid' as const, width: 2 }
                    : { color: '#7a7a7a', type: 'dashed' as const },
                // A light backing keeps the vertical text readable where it crosses the series line.
                label: {
                  formatter: m.label,
                  position: 'insideEndTop' as const,
                  fontSize: 10,
                  color: m.kind === 'rollback' ? '#d9342b' : '#555',
                  backgroundColor: 'rgba(255,255,255,0.85)',
                  padding: [1, 3],
                },
              })),
              ...(o.limits ?? []).map((l) => ({
                yAxis: l.value,
                name: l.label,
                lineStyle: { color: '#e8a33d', type: 'dotted' as const },
                label: { formatter: l.label, position: 'end' as const, fontSize: 10, color: '#b07318' },
              })),
            ],
          },
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
