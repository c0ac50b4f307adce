/**
 * The final monitoring report as JSON and Markdown: uptime, error count, latency and memory
 * trends (first hour against last), every checkpoint row, every decision and vote, the sign-offs;
 * and the latency, error-rate and memory charts as SVG files beside it, linked from the Markdown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { MonitoringView } from '../../domain/monitoring-model';
import { safeSlug } from '../../domain/names';
import { fileInside, insideWorkdir } from '../plan-paths';
import { buildReport, type FinalDecisionPoint } from './report-content';
import { renderMarkdown } from './report-markdown';
import { parseDuration } from '../../domain/duration';
import { chartLimits, monitoringCharts } from '../../domain/monitoring-charts';
import { renderChart } from '../../infra/chart-svg';

export async function writeMonitoringReport(
  loaded: LoadedPlan,
  view: MonitoringView,
): Promise<{ json: string; markdown: string; charts: string[] }> {
  const dir = insideWorkdir(loaded, loaded.plan.reports.dir, 'reports.dir');
  await mkdir(dir, { recursive: true });
  // The cutover id comes from whoever started the workflow (UI, CLI): a slug, never a path.
  const base = fileInside(dir, `${safeSlug(view.cutoverId, 'cutover')}-monitoring`);
  const charts = monitoringCharts(view, chartLimits(loaded.plan.thresholds)).map((c) => ({
    ...c,
    file: `${base}-${c.name}.svg`,
  }));
  await Promise.all(charts.map((c) => writeFile(c.file, renderChart(c.options))));
  const report = buildReport(loaded.plan.name, view, finalDecisionPoint(loaded));
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(
    `${base}.md`,
    renderMarkdown(
      report,
      charts.map((c) => ({ title: c.title, file: path.basename(c.file) })),
    ),
  );
  return { json: `${base}.json`, markdown: `${base}.md`, charts: charts.map((c) => c.file) };
}

/** The plan's latest decision point (its sign-offs decide "ready"), or null when it has none. */
export function finalDecisionPoint(loaded: LoadedPlan): FinalDecisionPoint | null {
  const points = [...loaded.plan.monitoring.decisionPoints].sort((a, b) => parseDuration(a.at) - parseDuration(b.at));
  const last = points.at(-1);
  return last ? { label: last.label, roles: last.roles } : null;
}
