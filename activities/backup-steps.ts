/** The backup activities as the workflows call them: plan in, paths confined to the plan's workdir. */
import path from 'node:path';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { BackupInfo } from '../domain/rollback-model';
import { safeSlug } from '../domain/names';
import { createBackup, restoreBackup } from './backups';
import { readManifest } from './backup-manifest';
import { pruneBackups } from './backup-retention';
import {
  backupDir,
  chooseRollbackBackup,
  labelPrefix,
  ownArchives,
  ownedBy,
  trustedBackup,
  type BackupChoice,
} from './backup-trust';
import { insideWorkdir } from './plan-paths';
import { createParts, restoreParts } from './backup-parts';

/** `label` carries the workflow id, which may come from anyone: a slug, never a path. */
export function backupForCutover(loaded: LoadedPlan, label: string): Promise<BackupInfo> {
  const paths = loaded.plan.backup.paths.map((p, i) =>
    path.relative(loaded.workdir, insideWorkdir(loaded, p, `backup.paths.${i}`)),
  );
  return createBackup({
    paths,
    dir: backupDir(loaded),
    cwd: loaded.workdir,
    label: `${labelPrefix(loaded)}${safeSlug(label)}`,
    plan: loaded.plan.name,
    parts: (archive) => createParts(loaded.plan.backup.databases ?? [], archive, loaded.workdir),
  });
}

/** Only this plan's archives age out here: another plan's in the same dir are not ours to delete. */
export async function pruneOldBackups(loaded: LoadedPlan): Promise<number> {
  const owns = (archive: string) => {
    const manifest = readManifest(archive);
    return manifest ? ownedBy(loaded, manifest) : path.basename(archive).startsWith(labelPrefix(loaded));
  };
  const { removed } = await pruneBackups({
    dir: backupDir(loaded),
    retentionDays: loaded.plan.backup.retentionDays,
    owns,
  });
  return removed.length;
}

/** The newest archive of this plan (a cutover's rollback that has no recorded backup). */
export async function findLatestBackup(loaded: LoadedPlan): Promise<BackupInfo> {
  const newest = ownArchives(loaded)[0];
  if (!newest) return (await chooseRollbackBackup(loaded)).backup; // throws BackupNotFound with the dir
  const m = newest.manifest;
  return { archive: newest.archive, sha256: m.archiveSha256, bytes: m.archiveBytes, createdAt: m.createdAt };
}

/** A manual rollback's choice: by label, else the newest, with the Phase 1 fallback (see backup-trust). */
export function chooseManualRollbackBackup(loaded: LoadedPlan, opts: { label?: string } = {}): Promise<BackupChoice> {
  return chooseRollbackBackup(loaded, opts);
}

export async function verifyBackupArchive(loaded: LoadedPlan, backup: BackupInfo): Promise<string> {
  return (await trustedBackup(loaded, backup.archive, backup.sha256)).sha256;
}

export async function restoreBackupArchive(
  loaded: LoadedPlan,
  backup: BackupInfo,
): Promise<{ restored: string[]; displaced: string }> {
  // Checked again here: this activity may be called with any BackupInfo, not only a verified one.
  const trusted = await trustedBackup(loaded, backup.archive, backup.sha256);
  const paths = loaded.plan.backup.paths.map((p, i) =>
    path.relative(loaded.workdir, insideWorkdir(loaded, p, `backup.paths.${i}`)),
  );
  // Databases first (each in one transaction, or by its own command), then the files by renames.
  const manifest = readManifest(trusted.archive);
  const databases = await restoreParts(
    trusted.archive,
    manifest?.parts ?? [],
    loaded.plan.backup.databases ?? [],
    loaded.workdir,
  );
  if (!paths.length) return { restored: databases, displaced: 'nowhere (this backup has no files)' };
  const files = await restoreBackup({
    archive: trusted.archive,
    expectedSha256: trusted.sha256,
    cwd: loaded.workdir,
    paths,
  });
  return { restored: [...databases, ...files.restored], displaced: files.displaced };
}
