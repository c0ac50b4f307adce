/** `cutover status ID` once, `cutover watch ID` live until the end. */
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { FINAL_STATUSES, type CutoverView } from '../../domain/cutover-model';
import { renderStatus } from '../render-status';
import { withClient } from '../with-client';
import { exitCodeForStatus } from '../exit-codes';

export async function queryStatus(client: Client, id: string): Promise<CutoverView> {
  return client.workflow.getHandle(id).query<CutoverView>('status');
}

export async function watchCutover(client: Client, id: string, intervalMs = 1000): Promise<number> {
  const tty = process.stdout.isTTY;
  let last = '';
  for (;;) {
    const view = await queryStatus(client, id);
    const text = renderStatus(view);
    if (text !== last) {
      if (tty) process.stdout.write('\x1b[2J\x1b[H');
      console.log(text + (tty ? '' : '\n'));
      last = text;
    }
    if (FINAL_STATUSES.includes(view.status)) return exitCodeForStatus(view.status);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function registerStatus(program: Command) {
  program
    .command('status')
    .argument('<id>', 'cutover workflow id')
    .option('--json', 'print the raw status query result')
    .description('show the phases, approvals and rollback of a cutover')
    .action(async (id: string, opts: { json?: boolean }) =>
      withClient(async (client) => {
        const view = await queryStatus(client, id);
        console.log(opts.json ? JSON.stringify(view, null, 2) : renderStatus(view));
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
