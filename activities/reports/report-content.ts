/** What the final report says, computed from the monitoring view. Pure, so it is unit-testable. */
import type { CheckpointRow, DecisionRecord, MonitoringView } from '../../domain/monitoring-model';
import type { RecordedApproval } from '../../domain/cutover-model';
import { hourLabel } from '../../domain/monitoring-schedule';

export interface Trend {
  firstHour?: number;
  lastHour?: number;
  changePct?: number;
}

export interface MonitoringReport {
  plan: string;
  cutoverId: string;
  status: MonitoringView['status'];
  message: string;
  monitoredFor: string;
  uptimePct: number;
  errorCount: number;
  checkpoints: number;
  trends: { latencyMs: Trend; memoryMb: Trend; errorRatePct: Trend };
  rows: CheckpointRow[];
  decisions: DecisionRecord[];
  votes: RecordedApproval[];
  signOffs: RecordedApproval[];
  warnings: string[];
  rollback?: MonitoringView['rollback'];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const round = (x: number | undefined, digits = 2) => (x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits);

function trend(rows: CheckpointRow[], pick: (r: CheckpointRow) => number | null | undefined): Trend {
  const values = (subset: CheckpointRow[]) => subset.map(pick).filter((v): v is number => typeof v === 'number');
  const end = rows.at(-1)?.offsetMs ?? 0;
  const firstHour = mean(values(rows.filter((r) => r.offsetMs <= 3_600_000)));
  const lastHour = mean(values(rows.filter((r) => r.offsetMs > end - 3_600_000)));
  const changePct = firstHour && lastHour !== undefined ? ((lastHour - firstHour) / firstHour) * 100 : undefined;
  return { firstHour: round(firstHour), lastHour: round(lastHour), changePct: round(changePct, 1) };
}

export function buildReport(plan: string, view: MonitoringView): MonitoringReport {
  const finalPoint = view.decisions.at(-1);
  return {
    plan,
    cutoverId: view.cutoverId,
    status: view.status,
    message: view.message,
    monitoredFor: hourLabel(view.elapsedMs),
    uptimePct: view.uptimePct,
    errorCount: view.rows.filter((r) => r.status === 'FAIL').length,
    checkpoints: view.rows.length,
    trends: { latencyMs: trend(view.rows, (r) => r.latencyMs), memoryMb: trend(view.rows, (r) => r.memoryMb), errorRatePct: trend(view.rows, (r) => r.errorRatePct) },
    rows: view.rows,
    decisions: view.decisions,
    votes: view.votes,
    signOffs: finalPoint ? view.votes.filter((v) => v.gate === finalPoint.label) : [],
    warnings: view.warnings,
    rollback: view.rollback,
  };
}

export function renderMarkdown(r: MonitoringReport): string {
  const t = (x: Trend, unit: string) => `${x.firstHour ?? '–'} ${unit} → ${x.lastHour ?? '–'} ${unit}${x.changePct !== undefined ? ` (${x.changePct > 0 ? '+' : ''}${x.changePct}%)` : ''}`;
  return [
    `# ${r.status === 'COMPLETED' ? '24-Hour Cutover Complete ✓' : `Monitoring ended: ${r.status}`} — ${r.plan}`,
    '',
    `Cutover \`${r.cutoverId}\`, monitored for ${r.monitoredFor}. ${r.message}`,
    '',
    `- Uptime: **${r.uptimePct}%**`,
    `- Failed validations: **${r.errorCount}** of ${r.checkpoints}`,
    `- Latency (first hour → last hour): ${t(r.trends.latencyMs, 'ms')}`,
    `- Memory (first hour → last hour): ${t(r.trends.memoryMb, 'MB')}`,
    `- Error rate (first hour → last hour): ${t(r.trends.errorRatePct, '%')}`,
    ...(r.rollback ? [`- Rollback \`${r.rollback.workflowId}\`: ${r.rollback.status ?? 'running'} — ${r.rollback.reason}`] : []),
    '',
    '## Checkpoints',
    '',
    '| Time | Latency (ms) | Error Rate (%) | Memory (MB) | CPU (%) | Status | Note |',
    '|---|---|---|---|---|---|---|',
    ...r.rows.map((x) => `| ${x.label} (${x.at}) | ${x.latencyMs?.toFixed(1) ?? ''} | ${x.errorRatePct ?? ''} | ${x.memoryMb ?? ''} | ${x.cpuPct ?? ''} | ${x.status} | ${(x.note ?? '').replace(/\|/g, '/')} |`),
    '',
    '## Decisions',
    '',
    ...r.decisions.map((d) => `- **${d.label}**: ${d.outcome} (${d.via}), opened ${d.openedAt}, decided ${d.decidedAt}`),
    ...r.votes.map((v) => `  - ${v.gate}: ${v.decision} ${v.role} by ${v.approver} at ${v.at} (${v.via})${v.comment ? ` — "${v.comment}"` : ''}`),
    '',
    '## Sign-offs',
    '',
    ...(r.signOffs.length ? r.signOffs.map((v) => `- ${v.role}: ${v.approver} — ${v.decision} at ${v.at}`) : ['- none recorded']),
    ...(r.warnings.length ? ['', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`)] : []),
    '',
  ].join('\n');
}
