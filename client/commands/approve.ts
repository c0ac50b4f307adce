/** `cutover approve ID --role R --as NAME [--no-go]`: a vote, as an update so a rejection is told at once. */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Approval } from '../../domain/cutover-model';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';

export function registerApprove(program: Command) {
  program
    .command('approve')
    .argument('<id>', 'cutover (or monitoring) workflow id')
    .requiredOption('--role <role>', 'the role you vote for, e.g. engineering')
    .requiredOption('--as <name>', 'your name, as listed in the plan\'s approvals.approvers')
    .option('--no-go', 'vote NO-GO (at a monitoring decision point: roll back)')
    .option('--comment <text>', 'a note kept with the vote')
    .description('vote GO (default) or NO-GO at the open gate or decision point')
    .action(async (id: string, opts: { role: string; as: string; go: boolean; comment?: string }) => {
      const approval: Approval = { role: opts.role, approver: opts.as, decision: opts.go ? 'GO' : 'NO_GO', comment: opts.comment };
      await withClient(async (client) => {
        try {
          const result = await client.workflow
            .getHandle(id)
            .executeUpdate<{ gate: string; outcome?: string }, [Approval]>('approve', { args: [approval], updateId: randomUUID() });
          console.log(`✓ ${approval.decision} for ${approval.role} by ${approval.approver} recorded at ${result.gate}${result.outcome ? `; gate decided: ${result.outcome}` : '; waiting for the other roles'}`);
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) {
            throw new CliError(`vote rejected, nothing recorded: ${err.cause?.message ?? err.message}`, EXIT.BAD_INPUT);
          }
          throw err;
        }
      });
    });
}
