/** `cutover abort`, `cutover resume` and `cutover rollback`: the operator's hands on a running cutover. */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { z } from 'zod';
import { TASK_QUEUE, workflowIds } from '../../domain/names';
import type { RollbackInput, RollbackView } from '../../domain/rollback-model';
import {
  abortPayloadSchema,
  describeIssues,
  resumePayloadSchema,
  rollbackPayloadSchema,
} from '../../domain/message-schemas';
import { checkPlanFile } from './plan';
import { confirmStop } from './confirm-stop';
import { stamp, uiLine } from './start';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';
import { viewOrThrow } from '../../domain/outcome';

const me = () => process.env.USER ?? os.userInfo().username;

/** Payloads are built through the same schemas the workflows read them with: a bad option fails here, named. */
function payload<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new CliError(`${what}: ${describeIssues(parsed.error, 'option')}`, EXIT.BAD_INPUT);
  return parsed.data;
}

/** A signal to a workflow that has ended or never existed is told as such, not as a stack trace. */
async function signalRunning(client: Client, id: string, name: string, body: unknown) {
  try {
    await client.workflow.getHandle(id).signal(name, body);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new CliError(
        `${id} is not running (finished, or no such workflow): nothing ` + `sent. See: cutover status ${id}`,
        EXIT.BAD_INPUT,
      );
    throw err;
  }
}

export function registerSignals(program: Command) {
  program
    .command('abort')
    .argument('<id>', 'cutover workflow id')
    .option('--reason <text>', 'why')
    .description('stop a cutover: before Phase 3 it ends ABORTED with V1 untouched; from Phase 3 on it rolls back')
    .action(async (id: string, opts: { reason?: string }) =>
      withClient(async (client) => {
        await signalRunning(
          client,
          id,
          'abort',
          payload(abortPayloadSchema, { reason: opts.reason, by: me() }, 'abort'),
        );
        const taken = await confirmStop(client, id, 'the abort');
        console.log(`abort taken by ${id}: ${taken}; follow it with: cutover watch ${id}`);
      }),
    );
  program
    .command('resume')
    .argument('<id>', 'cutover workflow id')
    .option('--phase <phase>', 'resume only this held phase')
    .description('continue a cutover held by --hold-before')
    .action(async (id: string, opts: { phase?: string }) =>
      withClient(async (client) => {
        await signalRunning(
          client,
          id,
          'resume',
          payload(resumePayloadSchema, { phase: opts.phase, by: me() }, 'resume'),
        );
        console.log(`resume sent to ${id}`);
      }),
    );
  program
    .command('rollback')
    .argument('[id]', 'a running cutover to roll back (omit with --plan for a manual rollback)')
    .requiredOption('--reason <text>', 'why; kept in the rollback record')
    .option('--plan <file>', 'manual rollback of this plan with its newest backup (no running cutover needed)')
    .option(
      '--backup <label>',
      "with --plan: restore this backup label (see the plan's backup " + 'dir) instead of the newest',
    )
    .option('--wait', 'wait for the rollback to finish; exit 0 when V1 serves again')
    .description('roll back to V1: signals a running cutover, or starts rollbackWorkflow on its own')
    .action(
      async (id: string | undefined, opts: { reason: string; plan?: string; backup?: string; wait?: boolean }) => {
        if (opts.backup && !opts.plan)
          throw new CliError(
            '--backup LABEL needs --plan FILE: it picks the archive of a ' + 'manual rollback',
            EXIT.BAD_INPUT,
          );
        return withClient(async (client) => {
          if (id && !opts.plan) {
            // A finished cutover hands over to its monitoring, which owns the rollback from then on:
            // a second, separate rollback would race the one monitoring would start.
            for (const target of id.endsWith('-monitoring') ? [id] : [id, workflowIds.monitoring(id)]) {
              try {
                await client.workflow
                  .getHandle(target)
                  .signal('rollback', payload(rollbackPayloadSchema, { reason: opts.reason, by: me() }, 'rollback'));
                const taken = await confirmStop(client, target, 'the rollback request');
                console.log(`rollback taken by ${target}: ${taken}; follow it with: cutover status ${target}`);
                return;
              } catch (err) {
                if (!(err instanceof WorkflowNotFoundError)) throw err;
              }
            }
            throw new CliError(
              `neither ${id} nor its monitoring is running: roll back by plan ` + `instead, with --plan FILE`,
              EXIT.BAD_INPUT,
            );
          }
          if (!opts.plan)
            throw new CliError('give a running cutover id, or --plan FILE for a manual rollback', EXIT.BAD_INPUT);
          const loaded = await checkPlanFile(opts.plan);
          const input: RollbackInput = {
            plan: path.resolve(opts.plan),
            reason: opts.reason,
            requestedBy: me(),
            cutoverId: id,
            backupLabel: opts.backup,
          };
          const workflowId = id ? workflowIds.rollback(id) : `rollback-${loaded.plan.name}-${stamp()}`;
          const handle = await client.workflow.start('rollbackWorkflow', {
            taskQueue: TASK_QUEUE,
            workflowId,
            args: [input],
            staticSummary: `Manual rollback of ${loaded.plan.name}: ${opts.reason}`.slice(0, 200),
          });
          console.log(`started ${workflowId}\n${uiLine(client.options.namespace, workflowId)}`);
          if (opts.wait) {
            const result = (await handle.result().catch(viewOrThrow)) as RollbackView;
            console.log(`${result.status} in ${result.durationMs} ms: ${result.message}`);
            process.exitCode = result.status === 'ROLLED_BACK' ? EXIT.OK : EXIT.FAILED;
          }
        });
      },
    );
}
