/**
 * `cutover backup list|verify|restore PLAN [LABEL]`: the plan's own backups (files archive and
 * database parts, one manifest), on this machine, without Temporal. Only backups whose manifest is
 * the plan's are listed, verified or restored (activities/backup-trust.ts); a restore verifies
 * every part first and touches nothing when one is refused (docs/backups/files.md).
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { ownArchives, trustedBackup, chooseRollbackBackup, backupDir } from '../../activities/backup-trust';
import { restoreBackupArchive } from '../../activities/backup-steps';
import type { BackupManifest } from '../../activities/backup-manifest';
import { checkPlanFile } from './plan';
import { CliError, EXIT } from '../exit-codes';

const short = (sha: string) => `${sha.slice(0, 12)}…`;

function describe(archive: string, m: BackupManifest): string {
  const files = m.paths;
  const parts = (m.parts ?? []).map((p) => `${p.driver} ${p.name} (${p.bytes} bytes, sha256 ${short(p.sha256)})`);
  const what = [files?.length ? `files ${files.join(', ')}` : '', ...parts].filter(Boolean).join('; ');
  const archiveText = `${path.basename(archive)} (${m.archiveBytes} bytes, sha256 ${short(m.archiveSha256)})`;
  return `${m.label}  ${m.createdAt}  ${archiveText}${what ? `\n    ${what}` : ''}`;
}

function pick(loaded: LoadedPlan, label?: string) {
  const own = ownArchives(loaded);
  if (!label) return own;
  const match = own.filter((a) => a.manifest.label === label || path.basename(a.archive) === label);
  if (!match.length)
    throw new CliError(
      `no backup labelled "${label}" of plan "${loaded.plan.name}" in ${backupDir(loaded)}: ` +
        `\`cutover backup list\` shows its labels`,
      EXIT.BAD_INPUT,
    );
  return match;
}

export function registerBackup(program: Command) {
  const backup = program
    .command('backup')
    .description("the plan's backups (files and databases) on this machine: list, verify, restore");
  backup
    .command('list')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .description("list the plan's backups, newest first, with every part and its sha256 (nothing is verified)")
    .action(async (file: string) => {
      const loaded = await checkPlanFile(file);
      const own = ownArchives(loaded);
      if (!own.length) console.log(`no backup of plan "${loaded.plan.name}" in ${backupDir(loaded)}`);
      for (const a of own) console.log(describe(a.archive, a.manifest));
    });
  backup
    .command('verify')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .argument('[label]', 'only this backup (its label or archive name); default: every backup of the plan')
    .description('check every part of each backup against its manifest (sha256, pg_restore --list, verify argv)')
    .action(async (file: string, label?: string) => {
      const loaded = await checkPlanFile(file);
      let bad = 0;
      for (const a of pick(loaded, label)) {
        try {
          await trustedBackup(loaded, a.archive);
          console.log(`✓ ${a.manifest.label}: intact`);
        } catch (err) {
          bad++;
          console.log(`✗ ${a.manifest.label}: ${(err as Error).message}`);
        }
      }
      if (bad) throw new CliError(`${bad} backup(s) cannot be trusted`, EXIT.FAILED);
    });
  backup
    .command('restore')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .argument('[label]', "the backup to restore (label or archive name); default: the plan's newest")
    .description(
      'verify every part, then restore the databases (each in one transaction) and the files; ' +
        'nothing is touched when a part is refused. Stop the services that write the data first',
    )
    .action(async (file: string, label?: string) => {
      const loaded = await checkPlanFile(file);
      try {
        const choice = await chooseRollbackBackup(loaded, { label });
        console.log(`verified ${choice.note}`);
        const result = await restoreBackupArchive(loaded, choice.backup);
        console.log(`restored ${result.restored.join(', ')}; replaced files kept in ${result.displaced}`);
      } catch (err) {
        throw new CliError(`restore refused or failed: ${(err as Error).message}`, EXIT.FAILED);
      }
    });
}
