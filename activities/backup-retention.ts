/** How long backups are kept: archives past the plan's retention, and partials of crashed attempts. */
import fs from 'node:fs';
import path from 'node:path';
import { ARCHIVE_EXT, readManifest, sidecars } from './backup-manifest';

/** Removes `*.partial-*` archives not written to for `idleMs` (a live tar writes continuously). */
export function removePartials(
  dir: string,
  match: (name: string) => boolean,
  idleMs: number,
  now = Date.now(),
): string[] {
  const stale = fs.readdirSync(dir).filter((f) => /\.partial-[0-9a-f]+$/.test(f) && match(f));
  return stale.flatMap((name) => {
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs < idleMs) return [];
      fs.rmSync(file, { force: true });
      return [file];
    } catch {
      return [];
    }
  });
}

/** `owns` limits pruning to one plan's archives (and what their restores displaced): a shared dir keeps the others. */
export async function pruneBackups(input: {
  dir: string;
  retentionDays: number;
  now?: number | string;
  cwd?: string;
  owns?: (archive: string) => boolean;
}): Promise<{ removed: string[] }> {
  const owns = input.owns ?? (() => true);
  const dir = path.resolve(input.cwd ?? process.cwd(), input.dir);
  if (!fs.existsSync(dir)) return { removed: [] };
  const cutoff = new Date(input.now ?? Date.now()).getTime() - input.retentionDays * 86_400_000;
  // Partials of crashed attempts go whatever the retention: they never were a backup.
  const removed: string[] = removePartials(
    dir,
    (f) => owns(path.join(dir, f.replace(/\.partial-[0-9a-f]+$/, ''))),
    10 * 60_000,
  );
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ARCHIVE_EXT))
    .sort()) {
    const archive = path.join(dir, name);
    if (fs.statSync(archive).mtimeMs >= cutoff || !owns(archive)) continue;
    const parts = (readManifest(archive)?.parts ?? []).map((p) => path.join(dir, path.basename(p.file)));
    for (const f of [archive, ...parts, ...sidecars(archive)]) fs.rmSync(f, { force: true });
    removed.push(archive);
  }
  for (const name of fs.readdirSync(dir).filter((f) => f.includes('.displaced-'))) {
    const displaced = path.join(dir, name);
    if (
      fs.statSync(displaced).mtimeMs >= cutoff ||
      !owns(path.join(dir, `${name.slice(0, name.indexOf('.displaced-'))}${ARCHIVE_EXT}`))
    )
      continue;
    fs.rmSync(displaced, { recursive: true, force: true });
    removed.push(displaced);
  }
  return { removed };
}
