import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createBackup, restoreBackup } from '../../activities/backups';
import { verifyBackup } from '../../activities/backup-manifest';
import { pruneBackups } from '../../activities/backup-retention';
import { FailureType } from '../../activities/failure-types';
import { failureOf, tempDir } from './helpers';

let cwd: string;
const read = (rel: string) => fs.readFileSync(path.join(cwd, rel), 'utf8');
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
  fs.writeFileSync(path.join(cwd, rel), text);
};
const PATHS = ['data', 'config.yml'];
const backup = (label = 'pre-cutover') => createBackup({ paths: PATHS, dir: 'backups', cwd, label });

beforeEach(() => {
  cwd = tempDir('backups');
  write('data/db.json', '{"rows": 42}');
  write('data/nested/events.log', 'a\nb\n');
  write('config.yml', 'mode: v1\n');
});

test('a backup is a tar.gz with a sha256sum-format checksum and a manifest of every file', async () => {
  const info = await backup();
  expect(path.basename(info.archive)).toMatch(/^pre-cutover-\d{4}-\d\d-\d\dT[\d-]+Z\.tar\.gz$/);
  expect(info.bytes).toBe(fs.statSync(info.archive).size);
  // the real sha256sum accepts the checksum file
  execFileSync('sha256sum', ['-c', `${path.basename(info.archive)}.sha256`], { cwd: path.dirname(info.archive) });
  const manifest = JSON.parse(fs.readFileSync(info.manifest, 'utf8'));
  expect(manifest.archiveSha256).toBe(info.sha256);
  expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
    'data/db.json',
    'data/nested/events.log',
    'config.yml',
  ]);
  expect(manifest.files[0]).toEqual({
    path: 'data/db.json',
    bytes: 12,
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(await verifyBackup(info.archive)).toEqual({ ok: true, expected: info.sha256, actual: info.sha256 });
});

test('a second backup with the same label returns the first archive instead of making another', async () => {
  const first = await backup();
  const again = await backup();
  expect(again).toEqual(first);
  const other = await backup('another-label');
  expect(other.archive).not.toBe(first.archive);
  expect(fs.readdirSync(path.join(cwd, 'backups')).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(2);
});

test('a corrupted archive fails verification and restore refuses it, leaving current files untouched', async () => {
  const info = await backup();
  const bytes = fs.readFileSync(info.archive);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  fs.writeFileSync(info.archive, bytes);
  write('config.yml', 'mode: v2\n');
  fs.rmSync(path.join(cwd, 'data/db.json'));

  expect(await verifyBackup(info.archive)).toMatchObject({ ok: false, reason: 'checksum differs' });
  const failure = await failureOf(
    restoreBackup({ archive: info.archive, expectedSha256: info.sha256, cwd, paths: PATHS }),
  );
  expect(failure.type).toBe(FailureType.BackupCorrupt);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('nothing was restored');
  expect(read('config.yml')).toBe('mode: v2\n');
  expect(fs.existsSync(path.join(cwd, 'data/db.json'))).toBe(false);
  expect(fs.readdirSync(cwd).filter((f) => f.startsWith('.cutover-restore'))).toEqual([]);
});

test('restore of a missing archive is BackupCorrupt', async () => {
  const failure = await failureOf(
    restoreBackup({ archive: path.join(cwd, 'nope.tar.gz'), expectedSha256: 'a'.repeat(64), cwd, paths: PATHS }),
  );
  expect(failure.type).toBe(FailureType.BackupCorrupt);
  expect(failure.message).toContain('archive is missing');
});

test(
  'a good restore brings back deleted and changed files, and ' + 'keeps what it replaced beside the archive',
  async () => {
    const info = await backup();
    fs.rmSync(path.join(cwd, 'data/db.json'));
    write('config.yml', 'mode: v2\n');
    write('data/v2-only.json', '{}');

    const result = await restoreBackup({ archive: info.archive, expectedSha256: info.sha256, cwd, paths: PATHS });
    expect(result).toEqual({ restored: PATHS, displaced: expect.stringMatching(/\.displaced-/) });
    expect(fs.readFileSync(path.join(result.displaced, 'data/v2-only.json'), 'utf8')).toBe('{}');
    expect(fs.readFileSync(path.join(result.displaced, 'config.yml'), 'utf8')).toBe('mode: v2\n');
    expect(read('data/db.json')).toBe('{"rows": 42}');
    expect(read('data/nested/events.log')).toBe('a\nb\n');
    expect(read('config.yml')).toBe('mode: v1\n');
    expect(fs.existsSync(path.join(cwd, 'data/v2-only.json'))).toBe(false);
    expect(fs.readdirSync(cwd).sort()).toEqual(['backups', 'config.yml', 'data']);
  },
);

test('a restore that cannot complete puts nothing in place and keeps the current files', async () => {
  const info = await backup();
  write('config.yml', 'mode: v2\n');
  write('extra.txt', 'not in the archive');
  const failure = await failureOf(
    restoreBackup({ archive: info.archive, expectedSha256: info.sha256, cwd, paths: [...PATHS, 'extra.txt'] }),
  );
  expect(failure.type).toBe(FailureType.BackupCorrupt);
  expect(failure.message).toContain('does not contain extra.txt');
  expect(read('config.yml')).toBe('mode: v2\n');
  expect(read('extra.txt')).toBe('not in the archive');
  expect(fs.readdirSync(cwd).filter((f) => f.startsWith('.cutover-restore'))).toEqual([]);
});

test('prune removes only archives older than the retention period, with their checksum and manifest', async () => {
  const old = await backup('old');
  const recent = await backup('recent');
  const now = Date.now();
  const hundredDaysAgo = new Date(now - 100 * 86_400_000);
  fs.utimesSync(old.archive, hundredDaysAgo, hundredDaysAgo);

  expect(await pruneBackups({ dir: path.join(cwd, 'backups'), retentionDays: 90, now })).toEqual({
    removed: [old.archive],
  });
  const left = fs.readdirSync(path.join(cwd, 'backups')).sort();
  const base = path.basename(recent.archive);
  expect(left).toEqual([base, `${base}.manifest.json`, `${base}.sha256`]);
});

test.each([['../outside'], ['/etc/passwd'], ['.']])(
  'the backup path "%s" is rejected as outside the working folder',
  async (p) => {
    const failure = await failureOf(createBackup({ paths: [p], dir: 'backups', cwd, label: 'x' }));
    expect(failure.type).toBe(FailureType.InvalidBackupConfig);
    expect(failure.nonRetryable).toBe(true);
  },
);

test('a missing backup path is named in a non-retryable InvalidBackupConfig', async () => {
  const failure = await failureOf(createBackup({ paths: ['data', 'missing.db'], dir: 'backups', cwd, label: 'x' }));
  expect(failure.type).toBe(FailureType.InvalidBackupConfig);
  expect(failure.message).toContain('missing.db');
});

test('a backup dir inside a backed-up path is refused, since a restore would delete it', async () => {
  const failure = await failureOf(createBackup({ paths: ['data'], dir: 'data/backups', cwd, label: 'x' }));
  expect(failure.type).toBe(FailureType.InvalidBackupConfig);
  expect(failure.message).toContain('inside the backed-up path "data"');
  expect(fs.existsSync(path.join(cwd, 'data/backups'))).toBe(false);
});
