/**
 * The report of one validation moment (a scheduled run, Phase 5, a checkpoint, a canary step) as
 * the seed's JSON beside the plan's other reports, with a Markdown twin for people. One file per
 * moment (named after its workflow id and moment), so a series of runs can be trended with jq.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ValidationReport } from '../../domain/validation-report';
import { safeSlug } from '../../domain/names';
import { fileInside, insideWorkdir } from '../plan-paths';

const cell = (text: string) => text.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ');

/** A check's evidence in a few words: what a person checks first (exit code, HTTP status, timing). */
function evidenceOf(metrics: Record<string, unknown> | undefined): string {
  const result = metrics?.result as Record<string, unknown> | undefined;
  const bits: string[] = [];
  if (typeof result?.exitCode === 'number') bits.push(`exit code ${result.exitCode}`);
  if (typeof result?.status === 'number') bits.push(`HTTP ${result.status}`);
  if (typeof result?.avgMs === 'number') bits.push(`avg ${result.avgMs.toFixed(1)} ms`);
  return bits.join(', ');
}

/** A check's own metrics: the key's when it alone feeds it, else its entry under the key (domain/check-outcome.ts). */
function metricsOf(report: ValidationReport, check: string, key: string): Record<string, unknown> | undefined {
  const metrics = report.checks[key]?.metrics;
  const own = metrics?.[check] as Record<string, unknown> | undefined;
  return own && typeof own === 'object' && 'status' in own ? own : metrics;
}

/** The report as Markdown: the verdict, then one row per report key and one per check with its evidence and words. */
export function renderValidationMarkdown(report: ValidationReport): string {
  const outcomes = report.outcomes ?? [];
  const keys = Object.entries(report.checks).map(([name, c]) => {
    const feeders = outcomes.filter((o) => o.report === name);
    const evidence = feeders.length > 1 ? '' : evidenceOf(c.metrics);
    return `| ${name} | **${c.status}** | ${cell(evidence)} | ${cell(c.message)} |`;
  });
  const rows = outcomes.map(
    (o) =>
      `| ${o.name} | ${o.report} | **${o.status}** | ${cell(o.rule ?? '')} | ` +
      `${cell(evidenceOf(metricsOf(report, o.name, o.report)))} | ${cell(o.message)} |`,
  );
  return [
    `# Validation of ${report.target.name} (${report.target.role}): ${report.status}`,
    '',
    `${report.timestamp} · ${report.target.baseUrl} · ${report.durationMs} ms`,
    '',
    '| Report key | Status | Evidence | Why |',
    '|---|---|---|---|',
    ...keys,
    ...(rows.length
      ? ['', '| Check | Feeds | Status | Rule | Evidence | Why |', '|---|---|---|---|---|---|', ...rows]
      : []),
    '',
  ].join('\n');
}

/** Writes `<reports.dir>/<name>.json` and `.md`; returns the JSON's absolute path. */
export async function writeValidationReport(
  loaded: LoadedPlan,
  report: ValidationReport,
  name: string,
): Promise<string> {
  const dir = insideWorkdir(loaded, loaded.plan.reports.dir, 'reports.dir');
  await mkdir(dir, { recursive: true });
  // Scheduled workflow ids carry a timestamp with ':'; a name must never climb out of the folder.
  const base = fileInside(dir, safeSlug(name, 'validation'));
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, renderValidationMarkdown(report));
  return `${base}.json`;
}
