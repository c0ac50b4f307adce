/**
 * Which archives a rollback may restore: only this plan's own, in its backup dir, whose
 * manifest says so and whose bytes still match the checksum recorded when they were made.
 * An archive path or checksum from a workflow input is never trusted on its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { BackupInfo } from '../domain/rollback-model';
import { readManifest, verifyBackup, type BackupManifest } from './backup-manifest';
import { FailureType } from './failure-types';
import { insideWorkdir } from './plan-paths';
import { verifyParts } from './backup-parts';

export const labelPrefix = (loaded: LoadedPlan) => `${loaded.plan.name}.`;
export const backupDir = (loaded: LoadedPlan) => insideWorkdir(loaded, loaded.plan.backup.dir, 'backup.dir');

/** A manifest of this plan: one that names the plan, or (archives made before it did) carries its label prefix. */
export function ownedBy(loaded: LoadedPlan, m: BackupManifest | undefined): m is BackupManifest {
  return (
    !!m &&
    (m.plan === undefined
      ? m.label.startsWith(labelPrefix(loaded))
      : m.plan === loaded.plan.name && m.label.startsWith(labelPrefix(loaded)))
  );
}

const refuse = (message: string, type: string = FailureType.BackupCorrupt) =>
  ApplicationFailure.nonRetryable(message, type);

/**
 * The archive as a BackupInfo, after checking it is directly in the plan's backup dir, that its
 * manifest belongs to this plan, that the manifest's checksum is the one `recordedSha256` says
 * (when the caller recorded one) and that the bytes on disk still hash to it, the archive's and
 * those of every database part its manifest lists.
 */
export async function trustedBackup(loaded: LoadedPlan, archive: string, recordedSha256?: string): Promise<BackupInfo> {
  const dir = backupDir(loaded);
  const file = path.resolve(dir, archive);
  if (path.dirname(file) !== dir || !file.endsWith('.tar.gz')) {
    throw refuse(
      `backup ${archive} is not an archive in the plan's backup dir ` +
        `${dir}: a rollback restores only the plan's own backups`,
      FailureType.BackupNotFound,
    );
  }
  const manifest = readManifest(file);
  if (!manifest)
    throw refuse(
      `backup ${file} has no readable manifest (` +
        `${path.basename(file)}.manifest.json): it cannot be trusted; ` +
        `nothing was restored`,
    );
  if (!ownedBy(loaded, manifest) || manifest.archive !== path.basename(file)) {
    throw refuse(
      `backup ${file} belongs to "` +
        `${manifest.plan ?? manifest.label}", not to plan "` +
        `${loaded.plan.name}": a rollback restores only the plan's own backups`,
      FailureType.BackupNotFound,
    );
  }
  if (recordedSha256 && manifest.archiveSha256 !== recordedSha256) {
    throw refuse(
      `backup ${file}: its manifest's sha256 ` +
        `${manifest.archiveSha256} differs from ${recordedSha256} ` +
        `recorded by the cutover; nothing was restored`,
    );
  }
  const result = await verifyBackup(file);
  if (!result.ok || result.actual !== manifest.archiveSha256) {
    throw refuse(
      `backup ${file} is corrupt or missing: ` +
        (result.reason ??
          `sha256 ${result.actual} differs from ${manifest.archiveSha256} ` + `recorded at backup time`) +
        ``,
    );
  }
  // Every database part too, before anything is restored: one bad part refuses the whole backup.
  await verifyParts(file, manifest.parts ?? [], loaded.plan.backup.databases ?? [], loaded.workdir);
  return { archive: file, sha256: manifest.archiveSha256, bytes: manifest.archiveBytes, createdAt: manifest.createdAt };
}

/** This plan's archives in its backup dir, newest first (by the manifest's time of writing). */
export function ownArchives(loaded: LoadedPlan): Array<{ archive: string; manifest: BackupManifest }> {
  const dir = backupDir(loaded);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => ({ archive: path.join(dir, f), manifest: readManifest(path.join(dir, f)) }))
    .filter((a): a is { archive: string; manifest: BackupManifest } => ownedBy(loaded, a.manifest))
    .sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt) || b.archive.localeCompare(a.archive));
}

export interface BackupChoice {
  backup: BackupInfo;
  /** what was chosen and why, for the rollback's steps */
  note: string;
}

const FINAL = '.final';

/**
 * A manual rollback's backup: the one labelled `label` (or named so), else the newest of this
 * plan. If that newest is a cutover's final snapshot and is corrupt, the same cutover's Phase 1
 * archive (label without ".final") is used instead, and the note says so. An explicit label
 * never falls back: the operator chose it.
 */
export async function chooseRollbackBackup(loaded: LoadedPlan, opts: { label?: string } = {}): Promise<BackupChoice> {
  const own = ownArchives(loaded);
  const dir = backupDir(loaded);
  if (opts.label) {
    const match = own.find((a) => a.manifest.label === opts.label || path.basename(a.archive) === opts.label);
    if (!match) {
      const labels = [...new Set(own.map((a) => a.manifest.label))].slice(0, 10);
      throw refuse(
        `no backup labelled "${opts.label}" of plan "` +
          `${loaded.plan.name}" in ${dir}: use one of ${labels.join(', ') || '(none)'}`,
        FailureType.BackupNotFound,
      );
    }
    return {
      backup: await trustedBackup(loaded, match.archive),
      note: `${match.archive} (label ${match.manifest.label}, chosen by the operator)`,
    };
  }
  const newest = own[0];
  if (!newest)
    throw refuse(
      `no backup of plan "${loaded.plan.name}" in ${dir}: a rollback ` + `needs the Phase 1 archive`,
      FailureType.BackupNotFound,
    );
  try {
    return {
      backup: await trustedBackup(loaded, newest.archive),
      note: `${newest.archive} (label ${newest.manifest.label}, the newest)`,
    };
  } catch (err) {
    const phase1Label = newest.manifest.label.endsWith(FINAL)
      ? newest.manifest.label.slice(0, -FINAL.length)
      : undefined;
    const phase1 = phase1Label && own.find((a) => a.manifest.label === phase1Label);
    if (!phase1) throw err;
    const backup = await trustedBackup(loaded, phase1.archive);
    return {
      backup,
      note:
        `final snapshot ${newest.archive} refused (` +
        `${(err as Error).message}); restoring the intact Phase 1 ` +
        `archive ${phase1.archive} of the same cutover instead: V1's ` +
        `writes after Phase 1 are not in it`,
    };
  }
}
