/**
 * The production validation report: its report keys (the seed's five for the default check list)
 * and an overall status. Pure (no I/O), so workflows, the CLI and tests share one contract. The JSON shape is what the
 * runbook's jq
 * commands read: `.status`, `.checks | keys`, `.checks[] | .status`.
 */
import type { ServiceRole } from './service-schema';

export type CheckName = 'kpi_calculations' | 'data_integrity' | 'performance' | 'error_handling' | 'audit_trail';

/** The order checks run and are printed in. */
export const CHECK_NAMES: readonly CheckName[] = [
  'kpi_calculations',
  'data_integrity',
  'performance',
  'error_handling',
  'audit_trail',
];

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

export interface CheckResult {
  status: CheckStatus;
  /** what was measured, for trending across runs (plain JSON values) */
  metrics: Record<string, unknown>;
  /** one human sentence: why this status */
  message: string;
}

export interface ValidationReport {
  status: CheckStatus;
  /** ISO time the run started */
  timestamp: string;
  target: { role: ServiceRole; name: string; baseUrl: string };
  durationMs: number;
  /** report key → result: what the plan's checks feed (the seed's five keys for the default list) */
  checks: Record<string, CheckResult>;
  /** each check's own verdict (several may feed one key) */
  outcomes?: OutcomeBrief[];
  /** where the worker kept this report (Phase 5, a checkpoint): `<reports.dir>/<workflow>-<moment>.json` */
  reportFile?: string;
}

/** One data check's verdict as reports and the monitoring's decision matrix see it. */
export interface OutcomeBrief {
  name: string;
  report: string;
  status: CheckStatus;
  message: string;
  rule?: string;
  inconclusive?: string;
  onFail?: 'retry' | 'rollback';
  trendValue?: number;
}

/** Any FAIL → FAIL, else any WARN → WARN, else PASS. */
export function overallStatus(checks: Partial<Record<string, Pick<CheckResult, 'status'>>>): CheckStatus {
  const statuses = Object.values(checks).map((c) => c?.status);
  if (statuses.includes('FAIL')) return 'FAIL';
  if (statuses.includes('WARN')) return 'WARN';
  return 'PASS';
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The one figure worth showing next to a passing check: a compare's worst deviation, a timed average, a value. */
function highlight(metrics: Record<string, unknown>): string | undefined {
  const max = num((metrics.comparison as { maxRelative?: unknown } | undefined)?.maxRelative);
  if (max !== undefined) return `max ${(max * 100).toFixed(4)}%`;
  const result = metrics.result as { value?: unknown; avgMs?: unknown } | undefined;
  const avg = num(result?.avgMs);
  if (avg !== undefined) return `avg ${avg.toFixed(1)} ms`;
  const value = num(result?.value);
  return value === undefined ? undefined : `value ${Number.isInteger(value) ? value : value.toPrecision(4)}`;
}

/**
 * One line for logs, notifications and the workflow's phase summary, e.g.
 * "PASS: kpi_calculations PASS (max 0.0000%), data_integrity PASS, performance PASS (avg 2.1 ms), …".
 * A check that did not pass shows its message instead of its figure: that is what someone acts on.
 */
export function summarizeReport(report: Pick<ValidationReport, 'status' | 'checks'>): string {
  const parts = Object.keys(report.checks).map((name) => {
    const check = report.checks[name];
    const detail = check.status === 'PASS' ? highlight(check.metrics) : check.message;
    return detail ? `${name} ${check.status} (${detail})` : `${name} ${check.status}`;
  });
  return `${report.status}: ${parts.join(', ')}`;
}

/** The checks that did not pass, each as "name: message" (for a failure message). */
export function describeProblems(report: Pick<ValidationReport, 'checks'>, status: CheckStatus = 'FAIL'): string[] {
  return Object.keys(report.checks)
    .filter((n) => report.checks[n]?.status === status)
    .map((n) => `${n}: ${report.checks[n].message}`);
}

const avgMsOf = (metrics: unknown): number | undefined => {
  const m = metrics as { avgMs?: unknown; result?: { avgMs?: unknown } } | undefined;
  return num(m?.avgMs) ?? num(m?.result?.avgMs);
};

/**
 * The spreadsheet's Latency figure: the average a timed check measured, the performance key's
 * first (its own, or one of the checks feeding it), else any key's.
 */
export function latencyOf(report: Pick<ValidationReport, 'checks'>): number | undefined {
  const keys = Object.keys(report.checks).sort((a, b) => Number(b === 'performance') - Number(a === 'performance'));
  for (const key of keys) {
    const metrics = report.checks[key].metrics;
    const found =
      avgMsOf(metrics) ??
      Object.values(metrics)
        .map(avgMsOf)
        .find((v) => v !== undefined);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** One validation as the status views keep it: each report key's status, for metrics and pages. */
export interface ValidationBrief {
  /** the moment: "phase5", a checkpoint label ("Hour 4") */
  label: string;
  /** workflow time it ended, ISO */
  at: string;
  target: ServiceRole;
  status: CheckStatus;
  checks: Record<string, CheckStatus>;
}

export function briefOf(
  report: Pick<ValidationReport, 'status' | 'checks'>,
  label: string,
  target: ServiceRole,
  at: Date,
): ValidationBrief {
  const checks = Object.fromEntries(Object.entries(report.checks).map(([key, c]) => [key, c.status]));
  return { label, at: at.toISOString(), target, status: report.status, checks };
}
