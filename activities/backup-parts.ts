/**
 * The database parts of a backup (backup.databases): one file each beside the files archive,
 * `<archive name without .tar.gz>.<name>.<dump|artifact>`, listed with its sha256 in the archive's
 * manifest. Every part is verified before anything is restored; a part that fails refuses the
 * whole backup and nothing is touched.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { DatabaseBackupSpec } from '../domain/backup-schema';
import { FailureType } from './failure-types';
import { heartbeat } from './heartbeat';
import { sha256File } from './sha256-file';
import { dumpPostgres, restorePostgres, verifyPostgresDump } from './backup-postgres';
import { backupByCommand, restoreByCommand, verifyByCommand } from './backup-command';

/** One database part as its manifest records it. */
export interface BackupPart {
  name: string;
  driver: DatabaseBackupSpec['driver'];
  /** file name in the backup dir */
  file: string;
  sha256: string;
  bytes: number;
  /** postgres: pg_restore --list of the dump, comment lines left out */
  toc?: string[];
  /** postgres: the pg_dump that wrote it */
  pgDump?: string;
}

export const partFile = (archive: string, spec: DatabaseBackupSpec) =>
  `${archive.replace(/\.tar\.gz$/, '')}.${spec.name}.${spec.driver === 'postgres' ? 'dump' : spec.artifact}`;

/** Writes every part (each under a temporary name, renamed when whole) for the archive about to be made. */
export async function createParts(specs: DatabaseBackupSpec[], archive: string, cwd: string): Promise<BackupPart[]> {
  const parts: BackupPart[] = [];
  for (const spec of specs) {
    const file = partFile(archive, spec);
    const partial = `${file}.partial-${randomBytes(4).toString('hex')}`;
    try {
      let extra: Pick<BackupPart, 'toc' | 'pgDump'> = {};
      if (spec.driver === 'postgres') extra = await dumpPostgres(spec, partial);
      else await backupByCommand(spec, partial, cwd);
      const sha256 = await sha256File(partial);
      const bytes = fs.statSync(partial).size;
      fs.renameSync(partial, file);
      parts.push({ name: spec.name, driver: spec.driver, file: path.basename(file), sha256, bytes, ...extra });
      heartbeat({ backedUp: spec.name });
    } finally {
      fs.rmSync(partial, { force: true });
    }
  }
  return parts;
}

const corrupt = (message: string) => ApplicationFailure.nonRetryable(message, FailureType.BackupCorrupt);

/** Pairs each part with the plan's spec of the same name; a part or a spec without the other refuses. */
function paired(archive: string, parts: BackupPart[], specs: DatabaseBackupSpec[]) {
  const missing = specs.filter((s) => !parts.some((p) => p.name === s.name && p.driver === s.driver));
  if (missing.length)
    throw corrupt(
      `backup ${archive} has no part for database ${missing.map((s) => `"${s.name}"`).join(', ')} of the plan ` +
        `(added to backup.databases after it was made?): restoring only some of the data would leave it ` +
        `inconsistent; nothing was restored`,
    );
  return parts.map((part) => {
    const spec = specs.find((s) => s.name === part.name && s.driver === part.driver);
    if (!spec)
      throw corrupt(
        `backup ${archive} has a part "${part.name}" (${part.driver}) that the plan's backup.databases no longer ` +
          `lists: put it back in the plan to restore this backup; nothing was restored`,
      );
    return { part, spec };
  });
}

/** Every part present, its bytes hashing to the manifest's sha256 and its driver's check passing. */
export async function verifyParts(
  archive: string,
  parts: BackupPart[],
  specs: DatabaseBackupSpec[],
  cwd: string,
): Promise<void> {
  const dir = path.dirname(archive);
  for (const { part, spec } of paired(archive, parts, specs)) {
    const file = path.join(dir, path.basename(part.file));
    const what = `backup part "${part.name}" (${file}) of ${archive}`;
    if (!fs.existsSync(file)) throw corrupt(`${what} is missing; nothing was restored`);
    const actual = await sha256File(file);
    if (actual !== part.sha256)
      throw corrupt(
        `${what} is corrupt: sha256 ${actual} differs from ${part.sha256} recorded at backup time; ` +
          `nothing was restored`,
      );
    const why =
      spec.driver === 'postgres' ? await verifyPostgresDump(file, part.toc) : await verifyByCommand(spec, file, cwd);
    if (why) throw corrupt(`${what} cannot be trusted: ${why}; nothing was restored`);
  }
}

/** Restores every part, in the plan's order; call only after verifyParts passed for the same backup. */
export async function restoreParts(
  archive: string,
  parts: BackupPart[],
  specs: DatabaseBackupSpec[],
  cwd: string,
): Promise<string[]> {
  const dir = path.dirname(archive);
  const restored: string[] = [];
  for (const { part, spec } of paired(archive, parts, specs)) {
    const file = path.join(dir, path.basename(part.file));
    if (spec.driver === 'postgres') await restorePostgres(spec, file);
    else await restoreByCommand(spec, file, cwd);
    restored.push(`database ${part.name}`);
    heartbeat({ restored: part.name });
  }
  return restored;
}
