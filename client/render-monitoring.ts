/** The terminal view of the 24-hour monitoring: the seed's spreadsheet, decisions and what is next. */
import type { MonitoringView } from '../domain/monitoring-model';
import { hourLabel } from '../domain/monitoring-schedule';

const cell = (v: number | null | undefined, digits = 1) => (typeof v === 'number' ? v.toFixed(digits) : '–').padStart(8);

export function renderMonitoring(view: MonitoringView): string {
  const lines = [
    `${view.cutoverId}  monitoring  ${hourLabel(view.elapsedMs)} of ${hourLabel(view.durationMs)}  uptime ${view.uptimePct}%`,
    `  ${'Time'.padEnd(12)}${'Latency'.padStart(8)}${'Err %'.padStart(8)}${'Mem MB'.padStart(8)}${'CPU %'.padStart(8)}  Status`,
    ...view.rows.map((r) => `  ${r.label.padEnd(12)}${cell(r.latencyMs)}${cell(r.errorRatePct, 3)}${cell(r.memoryMb)}${cell(r.cpuPct)}  ${r.status}${r.note ? `  ${r.note}` : ''}`),
    ...view.decisions.map((d) => `  decision ${d.label}: ${d.outcome} (${d.via})`),
    ...view.warnings.map((w) => `  WARN ${w}`),
  ];
  if (view.openDecision) lines.push(`  ⏸ ${view.openDecision.label}: waiting for ${view.openDecision.roles.join(', ')} — cutover approve ${view.cutoverId}-monitoring --role R --as NAME [--no-go]`);
  if (view.next && !view.openDecision) lines.push(`  next: ${view.next.what} at ${hourLabel(view.next.offsetMs)}`);
  if (view.rollback) lines.push(`  rollback ${view.rollback.workflowId}: ${view.rollback.status ?? 'running'} — ${view.rollback.reason}`);
  if (view.report) lines.push(`  report: ${view.report.markdown}`);
  lines.push(`STATUS: ${view.status} — ${view.message}`);
  return lines.join('\n');
}
