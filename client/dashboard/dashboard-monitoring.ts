/**
 * A monitoring on the live page: the seed's spreadsheet (time, latency, error rate, memory, CPU,
 * status) with the unmeasured gaps in their place, what is next and when, and the report's own
 * charts (latency, error rate, memory with the decision points and gaps marked) drawn as SVG by
 * the same renderer, so the page and the final report never disagree.
 */
import type { CheckpointRow, MonitoringView } from '../../domain/monitoring-model';
import { formatSpan } from '../../domain/duration';
import { hourLabel } from '../../domain/monitoring-schedule';
import { monitoringCharts } from '../../domain/monitoring-charts';
import { renderChart } from '../../infra/chart-svg';
import { uptimeSummary } from '../render-monitoring';

export interface SheetRow {
  kind: 'checkpoint' | 'gap';
  label: string;
  at: string;
  latencyMs?: number;
  errorRatePct?: number;
  memoryMb?: number | null;
  cpuPct?: number | null;
  status: string;
  note?: string;
}

export interface MonitoringPanel {
  workflowId: string;
  ui?: string;
  status: string;
  message: string;
  /** "Hour 0.05 of Hour 0.5" */
  progress: string;
  uptime: string;
  rows: SheetRow[];
  decisions: string[];
  warnings: string[];
  next?: { what: string; hour: string; at?: string };
  rollback?: string;
  charts: { name: string; title: string; points: number; svg: string }[];
}

/** Workflow time at which the monitoring started, from anything it measured (the view carries offsets). */
function startMs(view: MonitoringView): number | undefined {
  const dated = [...view.rows, ...(view.sentinelSamples ?? [])][0] as
    Pick<CheckpointRow, 'at' | 'offsetMs'> | undefined;
  if (dated) return Date.parse(dated.at) - dated.offsetMs;
  const d = view.openDecision;
  if (d?.deadlineAt) return Date.parse(d.deadlineAt) - d.deadlineOffsetMs;
  return undefined;
}

export function monitoringPanel(view: MonitoringView, workflowId: string, ui: string | undefined): MonitoringPanel {
  const start = startMs(view);
  const rows: (SheetRow & { offsetMs: number })[] = [
    ...view.rows.map((r) => ({
      kind: 'checkpoint' as const,
      offsetMs: r.offsetMs,
      label: r.label,
      at: r.at,
      latencyMs: r.latencyMs,
      errorRatePct: r.errorRatePct,
      memoryMb: r.memoryMb,
      cpuPct: r.cpuPct,
      status: r.status,
      note: r.note,
    })),
    ...(view.gaps ?? []).map((g) => ({
      kind: 'gap' as const,
      offsetMs: g.fromOffsetMs,
      label: `${hourLabel(g.fromOffsetMs)}–${hourLabel(g.toOffsetMs).replace('Hour ', '')}`,
      at: g.from,
      status: 'NOT MEASURED',
      note: `not measured for ${formatSpan(g.toOffsetMs - g.fromOffsetMs)}: ${g.why}`,
    })),
  ].sort((a, b) => a.offsetMs - b.offsetMs);
  const active = view.status === 'MONITORING' || view.status === 'AWAITING_DECISION';
  return {
    workflowId,
    ui,
    status: view.status,
    message: view.message,
    progress: `${hourLabel(view.elapsedMs)} of ${hourLabel(view.durationMs)}`,
    uptime: uptimeSummary(view),
    rows: rows.map(({ offsetMs: _, ...r }) => r),
    decisions: view.decisions.map(
      (d) => `${d.label}: ${d.outcome} (${d.via}${d.note ? `: ${d.note}` : ''}) at ${d.decidedAt}`,
    ),
    warnings: view.warnings,
    next:
      view.next && active
        ? {
            what: view.next.what,
            hour: hourLabel(view.next.offsetMs),
            at: start === undefined ? undefined : new Date(start + view.next.offsetMs).toISOString(),
          }
        : undefined,
    rollback: view.rollback
      ? `${view.rollback.workflowId}: ${view.rollback.status ?? 'running'} — ${view.rollback.reason}`
      : undefined,
    charts: monitoringCharts(view, view.limits).map((c) => ({
      name: c.name,
      title: c.title,
      points: c.options.points.length,
      svg: renderChart({ ...c.options, width: 620, height: 300 }),
    })),
  };
}
