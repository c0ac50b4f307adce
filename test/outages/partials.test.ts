/** A backup attempt whose worker died leaves a `.partial-*` archive: it is removed, never kept. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackup } from '../../activities/backups';
import { pruneBackups } from '../../activities/backup-retention';

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'partials-'));
  fs.mkdirSync(path.join(cwd, 'data'));
  fs.writeFileSync(path.join(cwd, 'data/a.csv'), 'x,y\n1,2\n');
  fs.mkdirSync(path.join(cwd, 'backups'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const partial = (name: string, ageMs: number) => {
  const file = path.join(cwd, 'backups', name);
  fs.writeFileSync(file, 'half an archive');
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(file, t, t);
  return file;
};

test('the next backup of the same label removes its idle partials; a live one (recently written) stays', async () => {
  const stale = partial('demo.c1-2026-01-01T00-00-00-000Z.tar.gz.partial-0a1b2c3d', 60_000);
  const live = partial('demo.c1-2026-01-01T00-00-01-000Z.tar.gz.partial-0a1b2c3e', 1_000);
  const other = partial('demo.c2-2026-01-01T00-00-00-000Z.tar.gz.partial-0a1b2c3f', 60_000);
  await createBackup({ paths: ['data'], dir: 'backups', cwd, label: 'demo.c1' });
  expect([fs.existsSync(stale), fs.existsSync(live), fs.existsSync(other)]).toEqual([false, true, true]);
});

test('the retention prune removes partials older than 10 minutes whatever their label', async () => {
  const old = partial('demo.c2-2026-01-01T00-00-00-000Z.tar.gz.partial-0a1b2c3f', 11 * 60_000);
  const { removed } = await pruneBackups({ dir: path.join(cwd, 'backups'), retentionDays: 90 });
  expect(removed).toEqual([old]);
});
