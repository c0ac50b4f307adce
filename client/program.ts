/**
 * The `cutover` command tree, built without running anything: client/main.ts parses argv with
 * it, scripts/gen-docs.ts walks it to write docs/reference/cli.md.
 */
import { Command } from 'commander';
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
import { registerAlertWebhook } from './commands/alert-webhook';
import { registerCheck } from './commands/check';
import { registerBaseline } from './commands/baseline';
import { registerWorker } from './commands/worker';
import { registerBackup } from './commands/backup';
import { registerDashboard } from './commands/dashboard';
import { versionLine } from '../worker/build-id';
import { EXIT } from './exit-codes';

export function buildProgram(): Command {
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
  registerBackup(program);
  registerReport(program);
  registerSchedule(program);
  registerDashboard(program);
  registerCodecServer(program);
  registerAlertWebhook(program);
  registerWorker(program);
  return program;
}
