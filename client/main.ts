/** The `cutover` CLI. Every command is also doable from the Temporal UI or `temporal` CLI (README). */
import { Command } from 'commander';
import { WorkflowNotFoundError } from '@temporalio/client';
import { registerPlan } from './commands/plan';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/watch';
import { registerApprove } from './commands/approve';
import { registerSignals } from './commands/signals';
import { registerService } from './commands/service';
import { registerValidate } from './commands/validate';
import { registerReport } from './commands/report';
import { registerSchedule } from './commands/schedule';
import { registerCodecServer } from './commands/codec-server';
import { registerCheck } from './commands/check';
import { registerBaseline } from './commands/baseline';
import { registerWorker } from './commands/worker';
import { versionLine } from '../worker/build-info';
import { CliError, EXIT } from './exit-codes';

const program = new Command('cutover')
  .description(
    'Production cutovers (V1 → V2) as durable Temporal ' +
      'workflows.\nConnection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ' +
      'TEMPORAL_API_KEY, TEMPORAL_PROFILE (default localhost:7233).',
  )
  .showHelpAfterError()
  // the build id hashes the workflow bundle: only when asked
  .option('-V, --version', 'print the version and the build id of the workflow code')
  .on('option:version', () => {
    console.log(versionLine());
    process.exit(EXIT.OK);
  });
registerPlan(program);
registerStart(program);
registerStatus(program);
registerApprove(program);
registerSignals(program);
registerService(program);
registerValidate(program);
registerCheck(program);
registerBaseline(program);
registerReport(program);
registerSchedule(program);
registerCodecServer(program);
registerWorker(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof WorkflowNotFoundError) {
    console.error(
      `cutover: no workflow "${err.workflowId}" in this namespace: ` +
        `check the id (cutover ids look like cutover-<plan>-<time>; list ` +
        `them with \`temporal workflow list\`)`,
    );
    process.exit(EXIT.BAD_INPUT);
  }
  if (err instanceof CliError) {
    console.error(`cutover: ${err.message}`);
    process.exit(err.exitCode);
  }
  // The SDK wraps the server's answer: its cause is what tells the user what went wrong.
  const cause = (err as Error).cause as Error | undefined;
  console.error(`cutover: ${(err as Error).message ?? err}${cause?.message ? `: ${cause.message}` : ''}`);
  process.exit(EXIT.ERROR);
});
