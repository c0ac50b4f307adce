/**
 * The report's charts, drawn by Apache ECharts' server-side SVG renderer (no DOM, no browser):
 * one metric over the hours since the switch, with the decision points and the rollback marked.
 * Pure: options in, SVG text out, so the report writer and the tests share it.
 */
import * as echarts from 'echarts';
import type { CheckpointRow, MonitoringView } from '../../domain/monitoring-model';
import type { CheckStatus } from '../../domain/validation-report';

export interface ChartPoint {
  hours: number;
  value: number;
  status?: CheckStatus;
}
export interface ChartMarker {
  hours: number;
  label: string;
  kind: 'decision' | 'rollback';
}
export interface ChartOptions {
  title: string;
  subtitle?: string;
  seriesName: string;
  yAxisName: string;
  points: ChartPoint[];
  markers: ChartMarker[];
  /** horizontal reference lines (a plan threshold), drawn dotted; keepInView stretches the y axis to show it */
  limits?: { value: number; label: string; keepInView?: boolean }[];
  maxHours?: number;
  /** unmeasured intervals (hours), shaded and labelled "not measured" */
  gaps?: { from: number; to: number; label: string }[];
  width?: number;
  height?: number;
}

export type ChartName = 'latency' | 'error-rate' | 'memory';
export interface NamedChart {
  name: ChartName;
  title: string;
  options: ChartOptions;
}

const H = 3_600_000;
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

export interface ChartLimits {
  latencyWarnMs?: number;
  errorRateWarnPct?: number;
  /** the plan's allowed memory drift around hour 1 (0.1 = ±10%) */
  memoryDrift?: number;
}

/** The three charts of a monitoring view: what each plots and where the decisions fell. */
export function monitoringCharts(view: MonitoringView, limits: ChartLimits = {}): NamedChart[] {
  const markers: ChartMarker[] = view.decisions.map((d) => ({
    hours: d.offsetMs / H,
    label: `${d.label}: ${d.outcome === 'continue' ? 'GO' : 'ROLLBACK'}`,
    kind: 'decision',
  }));
  if (view.rollback)
    markers.push({
      hours: view.rollback.startedOffsetMs / H,
      label: `Rollback${view.rollback.status ? `: ${view.rollback.status}` : ''}`,
      kind: 'rollback',
    });
  const lastRow = view.rows.at(-1)?.offsetMs ?? 0;
  const span = Math.max(view.durationMs, lastRow, view.rollback?.startedOffsetMs ?? 0) / H;
  // Whole hours for a day-long run; a rehearsal of a few minutes keeps its own scale.
  const maxHours = span >= 1 ? Math.ceil(span) : span;
  const points = (pick: (r: CheckpointRow) => number | null | undefined) =>
    view.rows.flatMap((r) => {
      const value = pick(r);
      return typeof value === 'number'
        ? [{ hours: r.offsetMs / H, value: Math.round(value * 1000) / 1000, status: r.status }]
        : [];
    });
  const gaps = (view.gaps ?? []).map((g) => ({
    from: g.fromOffsetMs / H,
    to: g.toOffsetMs / H,
    label: 'not measured',
  }));
  const base = (title: string, seriesName: string, yAxisName: string, data: ChartPoint[]): ChartOptions => ({
    title,
    subtitle:
      `${view.cutoverId} — ${view.status}` +
      (gaps.length ? ` — shaded: not measured (${gaps.map((g) => g.label).length} gap(s))` : '') +
      ``,
    seriesName,
    yAxisName,
    points: data,
    markers,
    maxHours,
    gaps,
  });
  const memory = points((r) => r.memoryMb);
  const hour1 = view.rows.find((r) => r.offsetMs >= H && typeof r.memoryMb === 'number')?.memoryMb;
  const drift = limits.memoryDrift;
  return [
    {
      name: 'latency',
      title: 'Latency',
      options: {
        ...base(
          'Latency',
          'avg latency',
          'Latency (ms)',
          points((r) => r.latencyMs),
        ),
        limits: limits.latencyWarnMs
          ? [{ value: limits.latencyWarnMs, label: `target < ${limits.latencyWarnMs} ms` }]
          : [],
      },
    },
    {
      name: 'error-rate',
      title: 'Error rate',
      options: {
        ...base(
          'Error rate',
          'error rate',
          'Error rate (%)',
          points((r) => r.errorRatePct),
        ),
        limits:
          limits.errorRateWarnPct !== undefined
            ? [{ value: limits.errorRateWarnPct, label: `warn > ${limits.errorRateWarnPct}%`, keepInView: true }]
            : [],
      },
    },
    {
      name: 'memory',
      title: 'Memory',
      options: {
        ...base('Memory', 'resident memory', 'Memory (MB)', memory),
        // The seed's "memory stable ±10%" is measured against hour 1: draw that band's edges.
        limits:
          hour1 && drift
            ? [
                { value: Math.round(hour1 * (1 + drift)), label: `hour 1 +${drift * 100}%` },
                { value: Math.round(hour1 * (1 - drift)), label: `hour 1 −${drift * 100}%` },
              ]
            : [],
      },
    },
  ];
}
