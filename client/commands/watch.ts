/** `cutover status ID` once, `cutover watch ID` live until the end. */
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { FINAL_STATUSES, type CutoverView } from '../../domain/cutover-model';
import { referToFailedPhase, renderStatus } from '../render-status';
import { retryLines } from '../render-retries';
import { hostWaitLines } from '../render-host-wait';
import { PhaseTracker } from '../../domain/phase-tracker';
import { withClient } from '../with-client';
import { afterSuccess, afterSuccessLine } from '../after-success';
import { ClosedRunError, readView, readWorkflow } from '../read-view';
import { renderWorkflow } from '../render-workflow';
import { EXIT, exitCodeForStatus } from '../exit-codes';

export async function queryStatus(client: Client, id: string): Promise<CutoverView> {
  return readView<CutoverView>(client, id);
}

/**
 * A rollback, a monitoring, a validation or a lock has no phases to follow: its status text is
 * printed each time it changes, until it ends (a view with a final status gives the exit code).
 */
async function followOther(client: Client, id: string, intervalMs: number): Promise<number> {
  let last = '';
  for (;;) {
    const read = await readWorkflow<{ status?: string }>(client, id);
    const text = renderWorkflow(read);
    if (text !== last) console.log(text);
    last = text;
    if (!read.running) return read.view?.status ? exitCodeForStatus(read.view.status) : EXIT.FAILED;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A terminal gets a live table; a pipe or CI log gets one line per event, in the seed's signature. */
export async function watchCutover(client: Client, id: string, intervalMs = 1000): Promise<number> {
  const { type } = await readWorkflow(client, id);
  if (type !== 'cutoverWorkflow') return followOther(client, id, intervalMs);
  const tty = process.stdout.isTTY;
  let last = '';
  const said = new Set<string>();
  for (;;) {
    let view: CutoverView;
    try {
      view = await queryStatus(client, id);
    } catch (err) {
      if (!(err instanceof ClosedRunError)) throw err;
      console.log(`STATUS: FAILED — the workflow ended without a result: ${err.message}`);
      return EXIT.FAILED;
    }
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
          if (!final) console.log(`… ${view.status}: ${referToFailedPhase(view, view.message)}`);
        } else console.log(event.slice(event.indexOf(':') + 1));
      }
      if (final) console.log(`${renderStatus(view).split('\n').slice(-2).join('\n')}`);
    }
    if (final) return exitCodeForStatus(view.status);
    // A workflow that failed or was terminated keeps answering queries with its last status.
    const { status } = await client.workflow.getHandle(id).describe();
    if (status.name !== 'RUNNING') {
      console.log(
        `STATUS: FAILED — the workflow is ${status.name} while the ` + `cutover said ${view.status}: ${view.message}`,
      );
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
        // By the execution's own state: a terminated run says so, never its last view as if it were live.
        const read = await readWorkflow<unknown>(client, id);
        const view = read.type === 'cutoverWorkflow' ? (read.view as CutoverView | undefined) : undefined;
        const after = view ? await afterSuccess(client, view) : undefined;
        if (opts.json) {
          const { workflowId, type, running, closed, parent } = read;
          const shown = read.view === undefined ? { workflowId, type, running, closed, parent } : read.view;
          console.log(JSON.stringify(after ? { ...view, afterSuccess: after } : shown, null, 2));
          return;
        }
        console.log([renderWorkflow(read), afterSuccessLine(after)].filter(Boolean).join('\n'));
        if (!read.running) return;
        // A step on its second attempt says why (a lost worker, not a failure of the step).
        for (const line of await retryLines(client.workflow.getHandle(id)).catch(() => [])) console.log(line);
        // A step (or a rollback's step) that its host's agent has not picked up says which host.
        for (const wf of [id, view?.rollback?.workflowId].filter((w): w is string => !!w)) {
          for (const line of await hostWaitLines(client.workflow.getHandle(wf)).catch(() => [])) console.log(line);
        }
      }),
    );
  program
    .command('watch')
    .argument('<id>', 'cutover workflow id (or any id the cutover started: its rollback, monitoring…)')
    .description('follow a cutover live until it ends; exit code: 0 SUCCESS, 3 ABORTED, 4 ROLLED_BACK, 5 FAILED')
    .action(async (id: string) =>
      withClient(async (client) => {
        process.exitCode = await watchCutover(client, id);
      }),
    );
}
