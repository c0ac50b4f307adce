/**
 * `cutover approve ID --role R --as NAME [--no-go] [--key K] [--print-json]`: a vote, as an update
 * so a rejection is told at once. When the plan requires signed votes (or --key is given) the vote
 * is signed for the open gate with the approver's SSH key; --print-json prints it for the UI.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import {
  QueryNotRegisteredError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { VoteInput } from '../../domain/approval-rules';
import type { GateInfo } from '../../domain/signed-vote';
import { MAX_SIGNATURE_AGE_MS } from '../../domain/signed-vote';
import { readWorkflow } from '../read-view';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';
import { resolveKey, signVote } from '../sign-vote';

interface ApproveOptions {
  role: string;
  as: string;
  go: boolean;
  comment?: string;
  key?: string;
  printJson?: boolean;
}

/** Undefined for a workflow started before signed votes existed (no approvalGate query). */
async function gateInfo(handle: WorkflowHandle): Promise<GateInfo | undefined> {
  try {
    return await handle.query<GateInfo>('approvalGate');
  } catch (err) {
    if (err instanceof QueryNotRegisteredError) return undefined;
    throw err;
  }
}

/**
 * The outcome a user reads (ROLLED_BACK, SUCCESS, ABORTED) from the view the run ended with, a
 * typed failure's too; the execution status (TERMINATED…) for a run that left no view, or whose
 * view this client cannot read (an encrypted failure without the keys).
 */
async function endedAs(client: Client, id: string, executionStatus: string): Promise<string> {
  const read = await readWorkflow<{ status?: unknown }>(client, id).catch(() => undefined);
  const outcome = read?.view?.status;
  return typeof outcome === 'string' && outcome ? outcome : executionStatus;
}

export function registerApprove(program: Command) {
  program
    .command('approve')
    .argument('<id>', 'cutover (or monitoring) workflow id')
    .requiredOption('--role <role>', 'the role you vote for, e.g. engineering')
    .requiredOption('--as <name>', "your name, as listed in the plan's approvals.approvers")
    .option('--no-go', 'vote NO-GO (at a monitoring decision point: roll back)')
    .option('--comment <text>', 'a note kept with the vote')
    .option(
      '--key <file>',
      'sign the vote with this Ed25519 key (a .pub file: the key in ' +
        'ssh-agent); default ~/.ssh/id_ed25519 when the plan requires signatures',
    )
    .option(
      '--print-json',
      'print the (signed) vote as JSON for the Temporal UI or ' +
        '`temporal workflow update execute`, without sending it',
    )
    .description('vote GO (default) or NO-GO at the open gate or decision point')
    .action(async (id: string, opts: ApproveOptions) => {
      let vote: VoteInput = {
        role: opts.role,
        approver: opts.as,
        decision: opts.go ? 'GO' : 'NO_GO',
        ...(opts.comment !== undefined && { comment: opts.comment }),
      };
      // a wrong path is told before connecting
      const givenKey = opts.key === undefined ? undefined : resolveKey(opts.key);
      await withClient(async (client) => {
        const handle = client.workflow.getHandle(id);
        // A vote on a finished workflow: say how it ended, not "no workflow in this namespace".
        const { status } = await handle.describe();
        if (status.name !== 'RUNNING')
          throw new CliError(
            `${id} has ended (${await endedAs(client, id, status.name)}): its votes are closed and ` +
              `nothing was recorded. See: cutover status ${id}`,
            EXIT.BAD_INPUT,
          );
        const gate = await gateInfo(handle);
        if (opts.key !== undefined || gate?.requireSignatures) {
          if (!gate)
            throw new CliError(
              `${id} does not answer the approvalGate query: it is still ` +
                `loading its plan (try again in a moment), or it predates signed ` +
                `votes (vote without --key)`,
              EXIT.BAD_INPUT,
            );
          vote = await signVote(gate, vote, givenKey ?? resolveKey(undefined));
        }
        if (opts.printJson) {
          console.log(JSON.stringify(vote, null, 2));
          if (vote.signedAt) {
            const until = new Date(Date.parse(vote.signedAt) + MAX_SIGNATURE_AGE_MS).toISOString();
            console.error(
              `signed for ${id}, gate "${gate!.gate}"; send it before ` +
                `${until}: Temporal UI → Send a Signal, name approveSignal, this ` +
                `JSON as input; or temporal workflow update execute ` +
                `--workflow-id ${id} --name approve --input '<the JSON>'`,
            );
          }
          return;
        }
        try {
          const result = await handle.executeUpdate<{ gate: string; outcome?: string }, [VoteInput]>('approve', {
            args: [vote],
            updateId: randomUUID(),
          });
          const signed = vote.signature ? ' (signed)' : '';
          console.log(
            `✓ ${vote.decision} for ${vote.role} by ${vote.approver}` +
              (`${signed} recorded at ${result.gate}` +
                (result.outcome ? `; gate decided: ${result.outcome}` : '; waiting for the other roles') +
                ``),
          );
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) {
            throw new CliError(`vote rejected, nothing recorded: ${err.cause?.message ?? err.message}`, EXIT.BAD_INPUT);
          }
          throw err;
        }
      });
    });
}
