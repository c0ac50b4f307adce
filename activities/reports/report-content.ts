/** What the final report says, computed from the monitoring view. Pure, so it is unit-testable. */
import { formatSpan } from '../../domain/duration';
import {
  type CheckpointRow,
  type DecisionRecord,
  type MonitoringView,
  type RouterReading,
  type SentinelSample,
  type UnmeasuredInterval,
} from '../../domain/monitoring-model';
import type { Decision, RecordedApproval } from '../../domain/cutover-model';
import { hourLabel } from '../../domain/monitoring-schedule';

export interface Trend {
  firstHour?: number;
  lastHour?: number;
  changePct?: number;
}

/** One role of the final sign-off; approver/decision/at are absent while nobody has signed. */
export interface SignOff {
  role: string;
  approver?: string;
  decision?: Decision;
  at?: string;
}

export interface MonitoringReport {
  plan: string;
  cutoverId: string;
  status: MonitoringView['status'];
  message: string;
  monitoredFor: string;
  /** the plan's monitoring duration, and how long this run actually monitored */
  plannedMs: number;
  monitoredMs: number;
  /** healthy probes over probes that ran; null when nothing was measured ("no samples", not 100%) */
  uptimePct: number | null;
  /** sentinel probes and full validations that took a reading */
  samples?: number;
  /** time nobody measured (worker or server unreachable): uptime leaves it out */
  unmeasured: { totalMs: number; gaps: UnmeasuredInterval[] };
  /** checkpoints with a failed validation or a non-zero error rate, each counted once */
  errorCount: number;
  errors: { failedValidations: number; errorRateSamples: number; samples: number; peakErrorRatePct?: number };
  checkpoints: number;
  trends: { latencyMs: Trend; memoryMb: Trend; errorRatePct: Trend };
  rows: CheckpointRow[];
  /** the latest sentinel probes (absent in reports written before they were kept) */
  sentinel?: { probes: number; kept: number; samples: SentinelSample[] };
  /** every decision point with the votes that decided it (who and when) */
  decisions: (DecisionRecord & { votes: RecordedApproval[] })[];
  votes: RecordedApproval[];
  signOffs: SignOff[];
  verdict: { ready: boolean; text: string };
  warnings: string[];
  rollback?: MonitoringView['rollback'];
  /**
   * who served (the router read back) at the start, each validation and decision point, the end; absent without a
   * traffic section or before it was read
   */
  traffic?: RouterReading[];
}

/** The seed's final sign-off: used when the view holds no final decision point to read roles from. */
export const SIGN_OFF_ROLES = ['engineering', 'operations', 'dataQuality'];
export const READY = 'System ready for steady-state operations';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const round = (x: number | undefined, digits = 2) =>
  x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits;

export function trend(rows: CheckpointRow[], pick: (r: CheckpointRow) => number | null | undefined): Trend {
  const values = (subset: CheckpointRow[]) => subset.map(pick).filter((v): v is number => typeof v === 'number');
  const end = rows.at(-1)?.offsetMs ?? 0;
  const firstHour = mean(values(rows.filter((r) => r.offsetMs <= 3_600_000)));
  const lastHour = mean(values(rows.filter((r) => r.offsetMs > end - 3_600_000)));
  const changePct = firstHour && lastHour !== undefined ? ((lastHour - firstHour) / firstHour) * 100 : undefined;
  return { firstHour: round(firstHour), lastHour: round(lastHour), changePct: round(changePct, 1) };
}

/** The plan's last decision point: the one whose votes are the sign-offs. */
export interface FinalDecisionPoint {
  label: string;
  roles: string[];
}

/**
 * The sign-offs are the votes of the plan's own final decision point, wherever it falls; a plan
 * without decision points asks for none (`null`). Without the plan (`undefined`), the decision
 * point at the end of the monitoring (or open there now), else the seed's three roles.
 */
function signOffs(view: MonitoringView, planFinal?: FinalDecisionPoint | null): SignOff[] {
  if (planFinal === null) return [];
  const final = planFinal ?? view.decisions.find((d) => d.offsetMs >= view.durationMs);
  const open = !final && view.elapsedMs >= view.durationMs ? view.openDecision : undefined;
  const gate = final?.label ?? open?.label;
  return (final?.roles ?? open?.roles ?? SIGN_OFF_ROLES).map((role) => {
    // A role may vote again (NO_GO, then GO after a fix): the latest vote is the one that counts.
    const vote = view.votes.filter((v) => v.gate === gate && v.role === role).at(-1);
    return vote ? { role, approver: vote.approver, decision: vote.decision, at: vote.at } : { role };
  });
}

function verdict(r: Omit<MonitoringReport, 'verdict'>): MonitoringReport['verdict'] {
  const missing: string[] = [];
  if (r.status === 'ROLLED_BACK') missing.push(`rolled back to V1 (${r.rollback?.reason ?? r.message})`);
  else if (r.status === 'MONITORING' || r.status === 'AWAITING_DECISION')
    missing.push(`monitoring still running (${r.monitoredFor} so far)`);
  else if (r.status !== 'COMPLETED') missing.push(`monitoring ended ${r.status}: ${r.message}`);
  if (r.errors.failedValidations) missing.push(`${r.errors.failedValidations} failed validation(s)`);
  const noGo = r.signOffs.filter((s) => s.decision === 'NO_GO');
  if (noGo.length) missing.push(`NO_GO from ${noGo.map((s) => `${s.role} (${s.approver})`).join(', ')}`);
  const unsigned = r.signOffs.filter((s) => !s.decision);
  if (unsigned.length) missing.push(`no sign-off from ${unsigned.map((s) => s.role).join(', ')}`);
  return missing.length
    ? { ready: false, text: `Not ready for steady-state operations: ${missing.join('; ')}` }
    : { ready: true, text: READY };
}

export function buildReport(
  plan: string,
  view: MonitoringView,
  finalPoint?: FinalDecisionPoint | null,
): MonitoringReport {
  const rates = view.rows.map((r) => r.errorRatePct).filter((v): v is number => typeof v === 'number');
  const report = {
    plan,
    cutoverId: view.cutoverId,
    status: view.status,
    message: view.message,
    monitoredFor: formatSpan(view.elapsedMs),
    plannedMs: view.durationMs,
    monitoredMs: view.elapsedMs,
    uptimePct: view.probes === 0 ? null : view.uptimePct,
    samples: view.probes,
    unmeasured: { totalMs: view.unmeasuredMs ?? 0, gaps: view.gaps ?? [] },
    errorCount: view.rows.filter((r) => r.status === 'FAIL' || (r.errorRatePct ?? 0) > 0).length,
    errors: {
      failedValidations: view.rows.filter((r) => r.status === 'FAIL').length,
      errorRateSamples: rates.filter((x) => x > 0).length,
      samples: rates.length,
      peakErrorRatePct: rates.length ? Math.max(...rates) : undefined,
    },
    checkpoints: view.rows.length,
    trends: {
      latencyMs: trend(view.rows, (r) => r.latencyMs),
      memoryMb: trend(view.rows, (r) => r.memoryMb),
      errorRatePct: trend(view.rows, (r) => r.errorRatePct),
    },
    rows: view.rows,
    /** the latest sentinel probes as measured (between checkpoints; all a short monitoring has) */
    sentinel: {
      probes: view.probes ?? 0,
      kept: view.sentinelSamples?.length ?? 0,
      samples: view.sentinelSamples ?? [],
    },
    decisions: view.decisions.map((d) => ({ ...d, votes: view.votes.filter((v) => v.gate === d.label) })),
    votes: view.votes,
    signOffs: signOffs(view, finalPoint),
    warnings: view.warnings,
    rollback: view.rollback,
    ...(view.traffic?.length ? { traffic: view.traffic } : {}),
  };
  return { ...report, verdict: verdict(report) };
}

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
