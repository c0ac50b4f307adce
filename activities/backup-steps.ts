/** The backup activities as the workflows call them: plan in, paths anchored at the plan's folder. */
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { BackupInfo } from '../domain/rollback-model';
import { createBackup, pruneBackups, restoreBackup, verifyBackup } from './backups';
import { FailureType } from './failure-types';

const labelPrefix = (loaded: LoadedPlan) => `${loaded.plan.name}.`;
const backupDir = (loaded: LoadedPlan) => path.resolve(loaded.workdir, loaded.plan.backup.dir);

export function backupForCutover(loaded: LoadedPlan, cutoverId: string): Promise<BackupInfo> {
  const label = `${labelPrefix(loaded)}${cutoverId.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
  return createBackup({ paths: loaded.plan.backup.paths, dir: loaded.plan.backup.dir, cwd: loaded.workdir, label });
}

export async function pruneOldBackups(loaded: LoadedPlan): Promise<number> {
  const { removed } = await pruneBackups({ dir: backupDir(loaded), retentionDays: loaded.plan.backup.retentionDays });
  return removed.length;
}

/** For a manual rollback: the newest archive this plan made. */
export async function findLatestBackup(loaded: LoadedPlan): Promise<BackupInfo> {
  const dir = backupDir(loaded);
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(labelPrefix(loaded)) && f.endsWith('.tar.gz')) : [];
  // Newest by time of writing: the final snapshot taken after V1 stopped wins over Phase 1's.
  const newest = names
    .map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) {
    throw ApplicationFailure.nonRetryable(`no backup of plan "${loaded.plan.name}" in ${dir}: a rollback needs the Phase 1 archive`, FailureType.BackupNotFound);
  }
  const archive = path.join(dir, newest.name);
  const manifest = JSON.parse(fs.readFileSync(`${archive}.manifest.json`, 'utf8')) as { archiveSha256: string; archiveBytes: number; createdAt: string };
  return { archive, sha256: manifest.archiveSha256, bytes: manifest.archiveBytes, createdAt: manifest.createdAt };
}

export async function verifyBackupArchive(_loaded: LoadedPlan, backup: BackupInfo): Promise<string> {
  const result = await verifyBackup(backup.archive);
  const actual = result.actual;
  if (!result.ok || (actual && actual !== backup.sha256)) {
    throw ApplicationFailure.nonRetryable(
      `backup ${backup.archive} is corrupt or missing: ${result.reason ?? `sha256 ${actual} differs from ${backup.sha256} recorded at backup time`}`,
      FailureType.BackupCorrupt,
    );
  }
  return backup.sha256;
}

export async function restoreBackupArchive(loaded: LoadedPlan, backup: BackupInfo): Promise<{ restored: string[]; displaced: string }> {
  return restoreBackup({ archive: backup.archive, expectedSha256: backup.sha256, cwd: loaded.workdir, paths: loaded.plan.backup.paths });
}
