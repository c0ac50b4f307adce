/** The final report as Markdown: the runbook's spreadsheet, decisions, sign-offs and evidence. */
import { formatSpan } from '../../domain/duration';
import type { RouterReading, UnmeasuredInterval } from '../../domain/monitoring-model';
import type { RecordedApproval } from '../../domain/cutover-model';
import { hourLabel } from '../../domain/monitoring-schedule';
import type { MonitoringReport, Trend } from './report-content';

const cell = (x: unknown) => (x === undefined || x === null ? '' : String(x).replace(/\|/g, '/'));
const span = (g: UnmeasuredInterval) => `${hourLabel(g.fromOffsetMs)}–${hourLabel(g.toOffsetMs)}`;
const gapRow = (g: UnmeasuredInterval) => ({
  offsetMs: g.fromOffsetMs,
  line:
    `| ${span(g)} | not measured: ${g.why} (` +
    `${formatSpan(g.toOffsetMs - g.fromOffsetMs)}, ${g.from} → ` +
    `${g.to}) | | | | | |`,
});

/** "100% of measured time; 9.5 min not measured (1 gap: …)", or "no samples" when nothing ran. */
export function uptimeText(r: Pick<MonitoringReport, 'uptimePct' | 'unmeasured'>): string {
  if (r.uptimePct === null) return 'no samples (nothing was measured)';
  const { totalMs, gaps } = r.unmeasured;
  if (!gaps.length) return `**${r.uptimePct}%**`;
  const whys = [...new Set(gaps.map((g) => g.why))].join('; ');
  return (
    `**${r.uptimePct}%** of measured time; ${formatSpan(totalMs)} ` +
    `not measured (${gaps.length} gap${gaps.length > 1 ? 's' : ''}: ${whys})`
  );
}

/** A run shorter than the runbook's 24 hours (a rehearsal, or ended early) says so in its title. */
function title(r: MonitoringReport): string {
  const full = r.plannedMs >= 24 * 3_600_000;
  if (r.status === 'COMPLETED')
    return full
      ? '24-Hour Cutover Complete ✓'
      : `${formatSpan(r.plannedMs)} monitoring complete ✓ (shorter than ` + `the runbook's 24 hours)`;
  return `Monitoring ended: ${r.status} after ${r.monitoredFor} of ${formatSpan(r.plannedMs)}`;
}

const who = (v: RecordedApproval) =>
  v.via === 'timeout-default'
    ? `no vote in time: plan default ${v.decision} at ${v.at}`
    : `${v.decision} ${v.role} by ${v.approver} at ${v.at} (${v.via}` +
      `${v.keyFingerprint ? `, signed ${v.keyFingerprint}` : ''})${v.comment ? ` — "${v.comment}"` : ''}`;

/** `charts` are file names beside the Markdown, so the links work wherever the folder is copied. */
export function renderMarkdown(r: MonitoringReport, charts: { title: string; file: string }[] = []): string {
  const t = (x: Trend, unit: string) =>
    `${x.firstHour ?? '–'} ${unit} → ${x.lastHour ?? '–'} ${unit}` +
    (x.changePct !== undefined ? ` (${x.changePct > 0 ? '+' : ''}${x.changePct}%)` : '') +
    ``;
  const e = r.errors;
  return [
    `# ${title(r)} — ${r.plan}`,
    '',
    `Cutover \`${r.cutoverId}\`, monitored for ${r.monitoredFor}. ${r.message}`,
    '',
    ...(r.verdict.ready
      ? ['**Status: All criteria met**', '', `**${r.verdict.text}**`]
      : [`**Verdict:** ${r.verdict.text}`]),
    '',
    `- Uptime: ${uptimeText(r)}`,
    ...(r.samples !== undefined
      ? [
          `- Samples: ${r.samples} reading(s) of V2 (sentinel probes and ` +
            `validations)${r.samples === 0 ? ' — monitoring ended before the first probe' : ''}`,
        ]
      : []),
    `- Errors: **${r.errorCount}** checkpoint(s) — failed ` +
      `validations ${e.failedValidations} of ${r.checkpoints}, ` +
      `error-rate samples above 0% ${e.errorRateSamples} of ` +
      `${e.samples}${e.peakErrorRatePct !== undefined ? ` (peak ${e.peakErrorRatePct}%)` : ''}`,
    `- Latency (first hour → last hour): ${t(r.trends.latencyMs, 'ms')}`,
    `- Memory (first hour → last hour): ${t(r.trends.memoryMb, 'MB')}`,
    `- Error rate (first hour → last hour): ${t(r.trends.errorRatePct, '%')}`,
    ...(r.rollback
      ? [`- Rollback \`${r.rollback.workflowId}\`: ` + `${r.rollback.status ?? 'running'} — ${r.rollback.reason}`]
      : []),
    ...(charts.length ? ['', '## Charts', '', ...charts.map((c) => `![${c.title}](${c.file})`)] : []),
    '',
    '## Checkpoints',
    '',
    '| Time | Latency (ms) | Error Rate (%) | Memory (MB) | CPU (%) | Status | Note |',
    '|---|---|---|---|---|---|---|',
    ...[
      ...r.rows.map((x) => ({
        offsetMs: x.offsetMs,
        line:
          `| ${x.label} (${x.at}) | ${x.latencyMs?.toFixed(1) ?? ''} | ` +
          `${cell(x.errorRatePct)} | ${cell(x.memoryMb)} | ` +
          `${cell(x.cpuPct)} | ${x.status} | ${cell(x.note)} |`,
      })),
      ...r.unmeasured.gaps.map(gapRow),
    ]
      .sort((a, b) => a.offsetMs - b.offsetMs)
      .map((x) => x.line),
    ...(r.rows.length ? [] : ['', '_No checkpoint ran: the monitoring ended before its first validation._']),
    ...sentinelSection(r.sentinel),
    ...trafficSection(r.traffic),
    '',
    '## Decisions',
    '',
    ...(r.decisions.length ? [] : ['- none yet']),
    ...r.decisions.flatMap((d) => [
      `- **${d.label}** (${hourLabel(d.offsetMs)}): ` +
        `${d.outcome === 'continue' ? 'continue' : 'ROLLBACK'} (` +
        `${d.via}), opened ${d.openedAt}, decided ${d.decidedAt}` +
        (`${d.note ? ` — ${d.note}` : ''}` +
          (d.scheduledAt && d.openedOffsetMs !== undefined && d.openedOffsetMs - d.offsetMs > 60_000
            ? ` (due ${d.scheduledAt}, opened late after an outage)`
            : '') +
          ``),
      ...d.votes.map((v) => `  - ${who(v)}`),
    ]),
    '',
    '## Sign-offs',
    '',
    '| Role | Name | Decision | Time |',
    '|---|---|---|---|',
    ...r.signOffs.map(
      (s) => `| ${s.role} | ${cell(s.approver) || '_missing_'} | ` + `${s.decision ?? ''} | ${s.at ?? ''} |`,
    ),
    ...(r.warnings.length ? ['', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`)] : []),
    '',
  ].join('\n');
}

/** The sentinel's own readings: between checkpoints they are the only measurements there are. */
function sentinelSection(sentinel: MonitoringReport['sentinel'] | undefined): string[] {
  if (!sentinel?.samples.length) return [];
  const shown =
    sentinel.kept < sentinel.probes
      ? `the last ${sentinel.kept} of ${sentinel.probes} probes`
      : `all ${sentinel.kept} probes`;
  return [
    '',
    `## Sentinel readings (${shown})`,
    '',
    '| Time | Healthy | Error Rate (%) | Memory (MB) | CPU (%) | Detail |',
    '|---|---|---|---|---|---|',
    ...sentinel.samples.map(
      (x) =>
        `| ${hourLabel(x.offsetMs)} (${x.at}) | ` +
        `${x.healthy ? 'yes' : '**no**'} | ${cell(x.errorRatePct)} | ` +
        `${cell(x.memoryMb)} | ${cell(x.cpuPct)} | ${cell(x.detail)} |`,
    ),
  ];
}

/** Who served at each moment, as the router said (a rollback shows V1 again). */
function trafficSection(traffic: RouterReading[] | undefined): string[] {
  if (!traffic?.length) return [];
  return [
    '',
    '## Traffic (read back from the router)',
    '',
    '| Time | Moment | Who serves |',
    '|---|---|---|',
    ...traffic.map((t) => `| ${hourLabel(t.offsetMs)} (${t.at}) | ${cell(t.label)} | ${cell(t.summary)} |`),
  ];
}
