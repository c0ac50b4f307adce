/**
 * A monitoring's charts as data: what each of the latency, error-rate and memory charts plots
 * over the hours since the switch, where the decision points, the rollback and the unmeasured
 * gaps fall, and which plan limits it draws. Pure (view in, options out), so the final report and
 * the live page chart the same thing; infra/chart-svg.ts draws the options.
 */
import type { CheckpointRow, MonitoringView } from './monitoring-model';
import type { CheckStatus } from './validation-report';

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

export interface ChartLimits {
  latencyWarnMs?: number;
  errorRateWarnPct?: number;
  /** the plan's allowed memory drift around hour 1 (0.1 = ±10%) */
  memoryDrift?: number;
}

/** The plan limits the charts draw, from its thresholds: the report and the live page draw the same lines. */
export function chartLimits(t: { latencyWarnMs: number; errorRateWarn: number; memoryDrift: number }): ChartLimits {
  return { latencyWarnMs: t.latencyWarnMs, errorRateWarnPct: t.errorRateWarn * 100, memoryDrift: t.memoryDrift };
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
