/** The terminal view of the 24-hour monitoring: the seed's spreadsheet, decisions and what is next. */
import { formatSpan } from '../domain/duration';
import type { MonitoringView } from '../domain/monitoring-model';
import { hourLabel } from '../domain/monitoring-schedule';

const cell = (v: number | null | undefined, digits = 1) =>
  (typeof v === 'number' ? v.toFixed(digits) : '–').padStart(8);

const ACTIVE = ['MONITORING', 'AWAITING_DECISION'];

/** Uptime of measured time only: gaps are named with their length, no probe at all is "no samples". */
export function uptimeSummary(view: MonitoringView): string {
  if (view.probes === 0) return 'uptime: no samples yet';
  const gaps = view.gaps ?? [];
  return (
    `uptime ${view.uptimePct}%` +
    (gaps.length
      ? ` of measured time, ${formatSpan(view.unmeasuredMs ?? 0)} not ` +
        `measured (${gaps.length} gap${gaps.length > 1 ? 's' : ''})`
      : '') +
    ``
  );
}

export function renderMonitoring(view: MonitoringView): string {
  const rows = view.rows.map((r) => ({
    at: r.offsetMs,
    line:
      `  ${r.label.padEnd(12)}${cell(r.latencyMs)}` +
      `${cell(r.errorRatePct, 3)}${cell(r.memoryMb)}${cell(r.cpuPct)}  ` +
      `${r.status}${r.note ? `  ${r.note}` : ''}`,
  }));
  const gaps = (view.gaps ?? []).map((g) => ({
    at: g.fromOffsetMs,
    line:
      `  ${`${hourLabel(g.fromOffsetMs)}–${hourLabel(g.toOffsetMs).replace('Hour ', '')}`.padEnd(12)} ` +
      ` not measured for ${formatSpan(g.toOffsetMs - g.fromOffsetMs)}: ${g.why}`,
  }));
  const lines = [
    `${view.cutoverId}  monitoring  ${hourLabel(view.elapsedMs)} of ` +
      `${hourLabel(view.durationMs)}  ${uptimeSummary(view)}`,
    `  ${'Time'.padEnd(12)}${'Latency'.padStart(8)}` +
      `${'Err %'.padStart(8)}${'Mem MB'.padStart(8)}` +
      `${'CPU %'.padStart(8)}  Status`,
    ...[...rows, ...gaps].sort((a, b) => a.at - b.at).map((r) => r.line),
    ...view.decisions.map(
      (d) =>
        `  decision ${d.label}: ${d.outcome} (${d.via}` +
        (`${d.note ? `: ${d.note}` : ''})` +
          (d.openedOffsetMs !== undefined &&
          d.openedOffsetMs - d.offsetMs > 60_000 &&
          d.openedOffsetMs - d.offsetMs > (d.windowMs ?? 0) / 10
            ? ` — opened late at ${hourLabel(d.openedOffsetMs)}`
            : '') +
          ``),
    ),
    ...view.warnings.map((w) => `  WARN ${w}`),
    ...(view.traffic ?? []).slice(-6).map((t) => `  router ${hourLabel(t.offsetMs)} ${t.label}: ${t.summary}`),
  ];
  // A finished monitoring takes no votes: never tell anyone to send one.
  if (view.openDecision && ACTIVE.includes(view.status))
    lines.push(
      `  ⏸ ${view.openDecision.label}: waiting for ` +
        `${view.openDecision.roles.join(', ')} — cutover approve ` +
        `${view.cutoverId}-monitoring --role R --as NAME [--no-go]`,
    );
  if (view.next && !view.openDecision && ACTIVE.includes(view.status))
    lines.push(`  next: ${view.next.what} at ${hourLabel(view.next.offsetMs)}`);
  if (view.rollback)
    lines.push(
      `  rollback ${view.rollback.workflowId}: ` + `${view.rollback.status ?? 'running'} — ${view.rollback.reason}`,
    );
  if (view.report) lines.push(`  report: ${view.report.markdown}`);
  lines.push(`STATUS: ${view.status} — ${view.message}`);
  return lines.join('\n');
}
