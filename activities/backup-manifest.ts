/**
 * What a backup says about itself: the `sha256sum`-format checksum file and the JSON manifest
 * beside each archive, and the check that an archive is still what they say it is.
 */
import fs from 'node:fs';
import { sha256File } from './sha256-file';
import type { BackupPart } from './backup-parts';

export const ARCHIVE_EXT = '.tar.gz';
export const sidecars = (archive: string) => [`${archive}.sha256`, `${archive}.manifest.json`];

export interface VerifyResult {
  ok: boolean;
  expected?: string;
  actual?: string;
  reason?: string;
}

export function readSidecar(archive: string): string | undefined {
  try {
    return fs.readFileSync(`${archive}.sha256`, 'utf8').split(/\s+/)[0] || undefined;
  } catch {
    return undefined;
  }
}

export async function verifyBackup(archive: string): Promise<VerifyResult> {
  if (!fs.existsSync(archive)) return { ok: false, reason: `archive ${archive} is missing` };
  const expected = readSidecar(archive);
  if (!expected) return { ok: false, reason: `checksum file ${archive}.sha256 is missing` };
  const actual = await sha256File(archive);
  return actual === expected
    ? { ok: true, expected, actual }
    : { ok: false, expected, actual, reason: 'checksum differs' };
}

/** What a manifest says about its archive: whose it is (plan, label) and its checksum. */
export interface BackupManifest {
  label: string;
  plan?: string;
  createdAt: string;
  archive: string;
  archiveSha256: string;
  archiveBytes: number;
  /** the files in the archive (backup.paths, relative to the workdir) */
  paths?: string[];
  /** the databases backed up beside the archive (backup.databases), each with its own sha256 */
  parts?: BackupPart[];
}

/** The manifest beside an archive, or undefined when it is missing or not a manifest. */
export function readManifest(archive: string): BackupManifest | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(`${archive}.manifest.json`, 'utf8')) as BackupManifest;
    return typeof m.label === 'string' && typeof m.archiveSha256 === 'string' && typeof m.archive === 'string'
      ? m
      : undefined;
  } catch {
    return undefined;
  }
}
