/**
 * Pre-cutover backups: a tar.gz of the plan's paths, with the checksum file and manifest that
 * backup-manifest.ts reads. Restore verifies before touching anything; the swap is done by
 * renames so a failed extract leaves the current files as they were.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from './failure-types';
import { heartbeat, keepAlive } from './heartbeat';
import { runCommand } from './services/service-driver';
import { sha256File } from './sha256-file';
import type { BackupPart } from './backup-parts';
import { ARCHIVE_EXT, readSidecar, verifyBackup } from './backup-manifest';
import { removePartials } from './backup-retention';

export interface BackupInfo {
  archive: string;
  sha256: string;
  bytes: number;
  /** path of the JSON manifest */
  manifest: string;
  createdAt: string;
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Backup paths must stay inside cwd: they are deleted and replaced on restore. */
function checkPaths(paths: string[], cwd: string): string[] {
  return paths.map((p) => {
    const rel = path.normalize(p);
    if (path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`) || rel === '.') {
      throw ApplicationFailure.nonRetryable(
        `backup path "${p}" must be relative to ${cwd} and inside it`,
        FailureType.InvalidBackupConfig,
      );
    }
    return rel;
  });
}

/** Restoring a path replaces it whole: backups kept inside it would be deleted by the restore. */
function checkOutside(target: string, paths: string[], cwd: string, what: string): void {
  const inside = paths.find((p) => !path.relative(path.join(cwd, p), target).startsWith('..'));
  if (inside)
    throw ApplicationFailure.nonRetryable(
      `${what} ${target} is inside the backed-up path "${inside}": ` + `keep backups elsewhere`,
      FailureType.InvalidBackupConfig,
    );
}

function listFiles(root: string, rel: string): string[] {
  const stat = fs.lstatSync(path.join(root, rel));
  if (!stat.isDirectory()) return stat.isFile() ? [rel] : [];
  return fs
    .readdirSync(path.join(root, rel))
    .sort()
    .flatMap((name) => listFiles(root, path.join(rel, name)));
}

async function tar(args: string[], what: string): Promise<void> {
  // runCommand heartbeats every ~2 s, runs tar in its own process group and kills it on
  // cancellation; a tar left by a dead worker is killed by the next one (child-registry).
  const stop = keepAlive(() => ({ tar: what }));
  try {
    const r = await runCommand(['tar', ...args], { timeoutMs: 60 * 60_000 });
    if (r.code !== 0)
      throw ApplicationFailure.retryable(
        `tar ${what} failed (exit ${r.code}): ${r.stderr.trim()}`,
        FailureType.BackupFailed,
      );
  } finally {
    stop();
  }
}

function infoOf(archive: string): BackupInfo {
  const manifest = `${archive}.manifest.json`;
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
    archiveSha256: string;
    archiveBytes: number;
    createdAt: string;
  };
  return { archive, sha256: m.archiveSha256, bytes: m.archiveBytes, manifest, createdAt: m.createdAt };
}

export async function createBackup(input: {
  paths: string[];
  dir: string;
  cwd: string;
  label: string;
  plan?: string;
  /** writes the database parts for the archive about to be made (backup-parts.ts), before its manifest */
  parts?: (archive: string) => Promise<BackupPart[]>;
}): Promise<BackupInfo> {
  const cwd = path.resolve(input.cwd);
  if (!LABEL.test(input.label))
    throw ApplicationFailure.nonRetryable(
      `backup label "${input.label}" must be a plain name`,
      FailureType.InvalidBackupConfig,
    );
  const paths = checkPaths(input.paths, cwd);
  const missing = paths.filter((p) => !fs.existsSync(path.join(cwd, p)));
  if (missing.length)
    throw ApplicationFailure.nonRetryable(
      `backup paths missing under ${cwd}: ${missing.join(', ')}`,
      FailureType.InvalidBackupConfig,
    );
  const dir = path.resolve(cwd, input.dir);
  checkOutside(dir, paths, cwd, 'backup dir');
  fs.mkdirSync(dir, { recursive: true });

  // Idempotent per label: a retried activity returns the archive an earlier attempt finished.
  const stamp = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.tar\.gz$/;
  const mine = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${input.label}-`) && stamp.test(f.slice(input.label.length + 1)))
    .sort()
    .reverse();
  for (const name of mine) {
    const archive = path.join(dir, name);
    if ((await verifyBackup(archive)).ok && fs.existsSync(`${archive}.manifest.json`)) return infoOf(archive);
  }

  // A partial that nothing has written to for a while was left by an attempt whose worker died.
  removePartials(dir, (f) => f.startsWith(`${input.label}-`), 30_000);
  const createdAt = new Date().toISOString();
  const archive = path.join(dir, `${input.label}-${createdAt.replace(/[:.]/g, '-')}${ARCHIVE_EXT}`);
  // Written under a temporary name and renamed last: a crash never leaves a final-named half archive.
  const partial = `${archive}.partial-${randomBytes(4).toString('hex')}`;
  try {
    // No paths (databases only): an empty archive, still the backup's anchor and manifest owner.
    const what = paths.length ? ['--', ...paths] : ['--files-from=/dev/null'];
    await tar(['-czf', partial, '-C', cwd, ...what], `create ${path.basename(archive)}`);
    const parts = input.parts ? await input.parts(archive) : [];
    const sha256 = await sha256File(partial);
    const bytes = fs.statSync(partial).size;
    const files = [];
    for (const rel of paths.flatMap((p) => listFiles(cwd, p))) {
      files.push({
        path: rel,
        bytes: fs.statSync(path.join(cwd, rel)).size,
        sha256: await sha256File(path.join(cwd, rel)),
      });
    }
    const manifest = {
      label: input.label,
      plan: input.plan,
      createdAt,
      cwd,
      paths,
      files,
      archive: path.basename(archive),
      archiveSha256: sha256,
      archiveBytes: bytes,
      ...(parts.length ? { parts } : {}),
    };
    fs.writeFileSync(`${archive}.manifest.json`, JSON.stringify(manifest, null, 2));
    fs.writeFileSync(`${archive}.sha256`, `${sha256}  ${path.basename(archive)}\n`);
    fs.renameSync(partial, archive);
    return { archive, sha256, bytes, manifest: `${archive}.manifest.json`, createdAt };
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

function moveDir(from: string, to: string) {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.cpSync(from, to, { recursive: true });
  }
}

export async function restoreBackup(input: {
  archive: string;
  expectedSha256?: string;
  cwd: string;
  paths: string[];
}): Promise<{ restored: string[]; displaced: string }> {
  const cwd = path.resolve(input.cwd);
  const paths = checkPaths(input.paths, cwd);
  checkOutside(path.resolve(input.archive), paths, cwd, 'archive');
  // The caller's checksum (recorded in workflow history at create time) wins over the sidecar.
  const expected = input.expectedSha256 ?? readSidecar(input.archive);
  const actual = fs.existsSync(input.archive) ? await sha256File(input.archive) : undefined;
  if (!actual || !expected || actual !== expected) {
    const why = !actual
      ? 'archive is missing'
      : !expected
        ? 'no checksum to verify against'
        : `checksum differs: expected ${expected}, got ${actual}`;
    throw ApplicationFailure.nonRetryable(
      `backup ${input.archive} cannot be trusted (${why}); nothing ` + `was restored`,
      FailureType.BackupCorrupt,
    );
  }
  // The staging dir sits inside cwd so the swaps below are same-filesystem renames.
  const staging = fs.mkdtempSync(path.join(cwd, '.cutover-restore-'));
  const done: string[] = [];
  try {
    await tar(['-xzf', input.archive, '-C', staging], `extract ${path.basename(input.archive)}`);
    const absent = paths.filter((p) => !fs.existsSync(path.join(staging, p)));
    if (absent.length)
      throw ApplicationFailure.nonRetryable(
        `backup ${input.archive} does not contain ${absent.join(', ')}; ` + `nothing was restored`,
        FailureType.BackupCorrupt,
      );
    fs.mkdirSync(path.join(staging, '.previous'));
    for (const p of paths) {
      const live = path.join(cwd, p);
      const old = path.join(staging, '.previous', p);
      fs.mkdirSync(path.dirname(old), { recursive: true });
      fs.mkdirSync(path.dirname(live), { recursive: true });
      if (fs.existsSync(live)) fs.renameSync(live, old);
      done.push(p);
      fs.renameSync(path.join(staging, p), live);
      heartbeat({ restored: p });
    }
    // What the restore replaced (say, V2's writes since the switch) is kept beside the archive,
    // not deleted: somebody may need it after the rollback. Pruned with the archives.
    const displaced =
      `` +
      input.archive.replace(/\.tar\.gz$/, '') +
      `.displaced-` +
      new Date().toISOString().replace(/[:.]/g, '-') +
      ``;
    moveDir(path.join(staging, '.previous'), displaced);
    return { restored: paths, displaced };
  } catch (err) {
    // Put back whatever was moved aside, newest first, then report the original failure.
    for (const p of done.reverse()) {
      const live = path.join(cwd, p);
      const old = path.join(staging, '.previous', p);
      if (fs.existsSync(old)) {
        fs.rmSync(live, { recursive: true, force: true });
        fs.renameSync(old, live);
      }
    }
    throw err;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
