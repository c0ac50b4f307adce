import type { MonitoringView } from '../domain/monitoring-model';
import { hourLabel } from '../domain/monitoring-schedule';
import { renderMessageLog } from '../domain/message-log';
import { renderOpenDecision } from '../domain/open-decision';

const spanLabel = (from: number, to: number) => `${hourLabel(from)}–${hourLabel(to)}`;

/** The live details markdown of the monitoring workflow in the Temporal UI: the seed's spreadsheet. */
export function renderMonitoringDetails(view: MonitoringView): string {
  const rows = view.rows
    .slice(-30)
    .map(
      (r) =>
        `| ${r.label} | ${r.latencyMs?.toFixed(1) ?? ''} | ` +
        `${r.errorRatePct ?? ''} | ${r.memoryMb ?? ''} | ` +
        `${r.cpuPct ?? ''} | ${r.status} |`,
    );
  return [
    `**${view.status}** — ${view.message}`,
    `${hourLabel(view.elapsedMs)} of ${hourLabel(view.durationMs)}, ` +
      `uptime ${view.uptimePct}%${view.next ? `, next: ${view.next.what}` : ''}`,
    ...(view.openDecision ? renderOpenDecision(view.openDecision, Date.now()) : []),
    '',
    // an empty markdown table renders as its headers run together
    ...(rows.length
      ? [
          '| Time | Latency (ms) | Error Rate (%) | Memory (MB) | CPU (%) ' + '| Status |',
          '|---|---|---|---|---|---|',
          ...rows,
        ]
      : ['Checkpoints: no samples yet']),
    ...(view.gaps ?? []).map((g) => `- not measured ${spanLabel(g.fromOffsetMs, g.toOffsetMs)}: ${g.why}`),
    ...view.decisions.map((d) => `- ${d.label}: **${d.outcome}** (${d.via}${d.note ? `: ${d.note}` : ''})`),
    ...(view.traffic ?? []).slice(-6).map((t) => `- router ${hourLabel(t.offsetMs)} ${t.label}: ${t.summary}`),
    ...view.warnings.map((w) => `- WARN ${w}`),
    ...renderMessageLog(view.rejectedMessages),
  ]
    .join('\n')
    .slice(0, 20_000);
}
