/** `cutover status ID` once, `cutover watch ID` live until the end. */
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { FINAL_STATUSES, type CutoverView } from '../../domain/cutover-model';
import { renderStatus } from '../render-status';
import { renderMonitoring } from '../render-monitoring';
import { retryLines } from '../render-retries';
import { hostWaitLines } from '../render-host-wait';
import type { MonitoringView } from '../../domain/monitoring-model';
import { PhaseTracker } from '../../domain/phase-tracker';
import { withClient } from '../with-client';
import { afterSuccess, afterSuccessLine } from '../after-success';
import { readView } from '../read-view';
import { EXIT, exitCodeForStatus } from '../exit-codes';

export async function queryStatus(client: Client, id: string): Promise<CutoverView> {
  return readView<CutoverView>(client, id);
}

/** A terminal gets a live table; a pipe or CI log gets one line per event, in the seed's signature. */
export async function watchCutover(client: Client, id: string, intervalMs = 1000): Promise<number> {
  const tty = process.stdout.isTTY;
  let last = '';
  const said = new Set<string>();
  for (;;) {
    const view = await queryStatus(client, id);
    const final = FINAL_STATUSES.includes(view.status);
    if (tty) {
      const text = renderStatus(view);
      if (text !== last) process.stdout.write(`\x1b[2J\x1b[H${text}\n`);
      last = text;
    } else {
      const events = [
        ...view.phases.filter((p) => p.state !== 'pending').map((p) => `${p.state}:${PhaseTracker.line(p)}`),
        `status:${view.status}:${view.heldBefore ?? ''}`,
      ];
      for (const event of events) {
        if (said.has(event) || event.startsWith('running:')) continue;
        said.add(event);
        if (event.startsWith('status:')) {
          if (!final) console.log(`… ${view.status}: ${view.message}`);
        } else console.log(event.slice(event.indexOf(':') + 1));
      }
      if (final) console.log(`${renderStatus(view).split('\n').slice(-2).join('\n')}`);
    }
    if (final) return exitCodeForStatus(view.status);
    // A workflow that failed or was terminated keeps answering queries with its last status.
    const { status } = await client.workflow.getHandle(id).describe();
    if (status.name !== 'RUNNING') {
      console.log(`STATUS: FAILED — the workflow is ${status.name} while the cutover said ${view.status}: ${view.message}`);
      return EXIT.FAILED;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function registerStatus(program: Command) {
  program
    .command('status')
    .argument('<id>', 'cutover workflow id')
    .option('--json', 'print the raw status query result')
    .description('show a cutover (phases, votes, rollback) or its monitoring (<id>-monitoring: checkpoints, decisions)')
    .action(async (id: string, opts: { json?: boolean }) =>
      withClient(async (client) => {
        const view = await readView<CutoverView | MonitoringView>(client, id);
        if ('rows' in view) {
          console.log(opts.json ? JSON.stringify(view, null, 2) : renderMonitoring(view));
          return;
        }
        const after = await afterSuccess(client, view);
        if (opts.json) console.log(JSON.stringify(after ? { ...view, afterSuccess: after } : view, null, 2));
        else console.log([renderStatus(view), afterSuccessLine(after)].filter(Boolean).join('\n'));
        // A step on its second attempt says why (a lost worker, not a failure of the step).
        if (!opts.json) for (const line of await retryLines(client.workflow.getHandle(id)).catch(() => [])) console.log(line);
        // A step (or a rollback's step) that its host's agent has not picked up says which host.
        for (const wf of opts.json ? [] : [id, view.rollback?.workflowId].filter((w): w is string => !!w)) for (const line of await hostWaitLines(client.workflow.getHandle(wf)).catch(() => [])) console.log(line);
      }),
    );
  program
    .command('watch')
    .argument('<id>', 'cutover workflow id')
    .description('follow a cutover live until it ends; exit code: 0 SUCCESS, 3 ABORTED, 4 ROLLED_BACK, 5 FAILED')
    .action(async (id: string) =>
      withClient(async (client) => {
        process.exitCode = await watchCutover(client, id);
      }),
    );
}
