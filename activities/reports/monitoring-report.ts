/**
 * The final monitoring report as JSON and Markdown: uptime, error count, latency and memory
 * trends (first hour against last), every checkpoint row, every decision and vote, the sign-offs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { MonitoringView } from '../../domain/monitoring-model';
import { buildReport, renderMarkdown } from './report-content';

export async function writeMonitoringReport(loaded: LoadedPlan, view: MonitoringView): Promise<{ json: string; markdown: string }> {
  const dir = path.resolve(loaded.workdir, loaded.plan.reports.dir);
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, `${view.cutoverId}-monitoring`);
  const report = buildReport(loaded.plan.name, view);
  await writeFile(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  await writeFile(`${base}.md`, renderMarkdown(report));
  return { json: `${base}.json`, markdown: `${base}.md` };
}
