/** `cutover report ID`: the 24-hour monitoring report (JSON, Markdown, SVG charts) of a cutover, now. */
import path from 'node:path';
import type { Command } from 'commander';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { MonitoringView } from '../../domain/monitoring-model';
import { workflowIds } from '../../domain/names';
import { writeMonitoringReport } from '../../activities/reports/monitoring-report';
import { checkPlanFile } from './plan';
import { withClient } from '../with-client';
import { readView } from '../read-view';
import { CliError, EXIT } from '../exit-codes';

const SUFFIX = workflowIds.monitoring('');

export const monitoringIdFor = (id: string) => (id.endsWith(SUFFIX) ? id : workflowIds.monitoring(id));

/** The monitoring view of a running or closed workflow (see read-view.ts). */
export async function monitoringView(client: Client, workflowId: string): Promise<MonitoringView> {
  try {
    return await readView<MonitoringView>(client, workflowId);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new CliError(
        `no monitoring workflow ${workflowId}: give a cutover id that ` +
          `reached SUCCESS, or its monitoring workflow id`,
        EXIT.BAD_INPUT,
      );
    throw err;
  }
}

export function registerReport(program: Command) {
  program
    .command('report')
    .argument('<id>', `cutover id or monitoring workflow id (<cutover-id>${SUFFIX})`)
    .option('--plan <file>', 'the cutover plan: needed to write a report, unless the monitoring already wrote one')
    .option('--out <dir>', "write into this folder instead of the plan's reports.dir")
    .description(
      'write the monitoring report (JSON, Markdown, ' +
        'latency/error-rate/memory SVG charts) of a running or finished ' +
        'monitoring, and print the paths',
    )
    .action(async (id: string, opts: { plan?: string; out?: string }) =>
      withClient(async (client) => {
        const workflowId = monitoringIdFor(id);
        const view = await monitoringView(client, workflowId);
        if (!opts.plan) {
          if (!view.report)
            throw new CliError(
              `${workflowId} (${view.status}) has written no report yet: give ` + `--plan FILE to write one now`,
              EXIT.BAD_INPUT,
            );
          printPaths(view.report);
          return;
        }
        const loaded = await checkPlanFile(opts.plan);
        // Same writer as the workflow; --out only moves the folder, resolved from where the operator stands.
        const target = opts.out
          ? { ...loaded, plan: { ...loaded.plan, reports: { dir: path.resolve(opts.out) } } }
          : loaded;
        printPaths(await writeMonitoringReport(target, view));
        console.error(`${workflowId}: ${view.status}, ${view.rows.length} checkpoint(s), ${view.message}`);
      }),
    );
}

function printPaths(report: { json: string; markdown: string; charts?: string[] }) {
  for (const file of [report.markdown, report.json, ...(report.charts ?? [])]) console.log(file);
}
