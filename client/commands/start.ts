/** `cutover start PLAN`: validates the plan here first, then starts cutoverWorkflow. */
import path from 'node:path';
import os from 'node:os';
import type { Command } from 'commander';
import { TASK_QUEUE, unsafeIdReason, workflowIds } from '../../domain/names';
import { connectConfig } from '../../infra/temporal-connection';
import { PHASE_IDS, type CutoverInput, type PhaseId } from '../../domain/cutover-model';
import { planKey, statusKey } from '../../domain/search-attributes';
import { checkPlanFile } from './plan';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';
import { watchCutover } from './watch';
import { resolveKey, sshSign } from '../sign-vote';
import { planContentHash, START_NAMESPACE, startStatement } from '../../domain/signed-start';

export const stamp = (d = new Date()) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');

interface StartOptions {
  dryRun?: boolean;
  autoApprove?: boolean;
  as?: string;
  id?: string;
  holdBefore?: string[];
  watch?: boolean;
  monitor: boolean;
  workerPath?: string;
  key?: string;
}

export function registerStart(program: Command) {
  program
    .command('start')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .option('--dry-run', 'phases 0 and 2 only: nothing in production changes')
    .option('--auto-approve', 'rehearsals and demos: the GO/NO-GO gate is approved as "auto-approve" (recorded)')
    .option('--as <name>', 'who is starting it (default: $USER)')
    .option('--id <workflowId>', 'workflow id (default: cutover-<plan>-<time>)')
    .option('--hold-before <phase...>', `wait for \`cutover resume\` before these phases (${PHASE_IDS.join(', ')})`)
    .option('--watch', 'follow the phases live until the cutover ends; exit code reflects the outcome')
    .option(
      '--no-monitor',
      'do not start the monitoring workflow after SUCCESS (it runs ' +
        "the plan's monitoring.duration, 24h by default)",
    )
    .option(
      '--worker-path <path>',
      "the plan's path as the worker sees it (relative to its " +
        'CUTOVER_PLAN_DIR), when the worker runs elsewhere, e.g. in docker-compose',
    )
    .option(
      '--key <file>',
      'sign the start with this Ed25519 key (a .pub file: the key in ssh-agent); default ' +
        '~/.ssh/id_ed25519 when the plan requires signatures',
    )
    .description('start a cutover; prints its workflow id and UI link')
    .action(async (file: string, opts: StartOptions) => {
      const unsafe = opts.id === undefined ? undefined : unsafeIdReason(opts.id);
      // The id names report files and backups: refused here, and reduced to a slug by the worker
      // for ids that come from elsewhere (the UI, the temporal CLI).
      if (unsafe)
        throw new CliError(
          `--id "${opts.id}" is refused: ${unsafe}. Use letters, digits, ` +
            `".", "_" and "-", e.g. --id cutover-loans-rehearsal-2`,
          EXIT.BAD_INPUT,
        );
      const loaded = await checkPlanFile(file);
      const bad = (opts.holdBefore ?? []).filter((p) => !PHASE_IDS.includes(p as PhaseId));
      if (bad.length)
        throw new CliError(
          `--hold-before: unknown phase ${bad.join(', ')}; use ${PHASE_IDS.join(', ')}`,
          EXIT.BAD_INPUT,
        );
      const input: CutoverInput = {
        // The worker reads the plan itself (history stays small and deterministic): the absolute
        // path works on this host; a worker elsewhere (a container) is given its own path.
        plan: opts.workerPath ?? path.resolve(file),
        autoApprove: !!opts.autoApprove,
        dryRun: !!opts.dryRun,
        startedBy: opts.as ?? process.env.USER ?? os.userInfo().username,
        holdBefore: opts.holdBefore as PhaseId[] | undefined,
        monitor: opts.monitor,
      };
      const workflowId = opts.id ?? workflowIds.cutover(loaded.plan.name, stamp());
      if (opts.key !== undefined || loaded.plan.approvals.requireSignatures) {
        const keyFile = resolveKey(opts.key, 'a start of this plan (approvals.requireSignatures)');
        const signedAt = new Date().toISOString();
        const statement = startStatement({
          cutoverId: workflowId,
          plan: loaded.plan.name,
          planHash: planContentHash(loaded.plan),
          startedBy: input.startedBy!,
          signedAt,
        });
        input.startSignature = { signedAt, signature: await sshSign(keyFile, statement, START_NAMESPACE) };
      }
      await withClient(async (client) => {
        await client.workflow.start('cutoverWorkflow', {
          taskQueue: TASK_QUEUE,
          workflowId,
          args: [input],
          staticSummary:
            `Cutover ${loaded.plan.services.v1.name} → ` +
            `${loaded.plan.services.v2.name}${input.dryRun ? ' (dry run)' : ''}`,
          typedSearchAttributes: [
            { key: planKey, value: loaded.plan.name },
            { key: statusKey, value: 'RUNNING' },
          ],
        });
        console.log(`started ${workflowId}`);
        console.log(uiLine(client.options.namespace, workflowId));
        if (opts.watch) process.exitCode = await watchCutover(client, workflowId);
      });
    });
}

/**
 * The Web UI's address: CUTOVER_UI_URL when set, Temporal Cloud's for a Cloud address, else none:
 * where a self-hosted UI listens cannot be told from the server's address, and a guessed link
 * that is wrong is worse than none (scripts/dev-server.sh prints the value to export).
 */
export function uiBase(address: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CUTOVER_UI_URL) return env.CUTOVER_UI_URL.replace(/\/+$/, '');
  const host = address.replace(/^[a-z]+:\/\//, '').split(':')[0];
  if (/\.tmprl\.cloud$/.test(host)) return 'https://cloud.temporal.io';
  return undefined;
}

/** A workflow's page in the Web UI, or undefined when where the UI listens is not known. */
export function uiUrl(namespace: string, workflowId: string): string | undefined {
  const base = uiBase(connectConfig().connectionOptions.address);
  return base && `${base}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;
}

export const UI_URL_HINT = 'set CUTOVER_UI_URL to your Temporal Web UI (e.g. http://localhost:8233) for a link here';

/** "UI: <link>" for a started workflow, or how to get one. */
export function uiLine(namespace: string, workflowId: string): string {
  return `UI: ${uiUrl(namespace, workflowId) ?? UI_URL_HINT}`;
}
