/**
 * The `cutover` CLI. Every command is also doable from the Temporal UI or `temporal` CLI
 * (docs/operations/temporal-ui.md).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { buildProgram } from './program';
import { CliError, EXIT } from './exit-codes';

const program = buildProgram();

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
