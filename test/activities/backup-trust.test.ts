/** Rollback's backups: only the plan's own, verified; pruning spares others; a corrupt pointer is an error. */
import fs from 'node:fs';
import path from 'node:path';
import {
  backupForCutover,
  chooseManualRollbackBackup,
  pruneOldBackups,
  restoreBackupArchive,
  verifyBackupArchive,
} from '../../activities/backup-steps';
import { readTraffic, switchTraffic } from '../../activities/traffic';
import { loadInlinePlan } from '../../activities/plan-loader';
import { uiBase } from '../../client/commands/start';
import { FailureType } from '../../activities/failure-types';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { failureOf, tempDir } from './helpers';

let workdir: string;
const service = (v: string, port: number) => ({
  name: `svc-${v}`,
  driver: 'process',
  command: ['node', 'x.js'],
  runDir: 'run',
  baseUrl: `http://127.0.0.1:${port}`,
});
const load = (name: string): LoadedPlan =>
  loadInlinePlan(
    {
      name,
      workdir,
      services: { v1: service('v1', 1), v2: service('v2', 2) },
      backup: { paths: ['data'], dir: 'backups' },
      traffic: { pointerFile: 'upstream.json' },
      tests: { command: ['true'] },
      approvals: { approvers: { engineering: ['a'], operations: ['b'], dataQuality: ['c'] } },
    },
    workdir,
  );
const corrupt = (file: string) => {
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  fs.writeFileSync(file, bytes);
};
const setData = (text: string) => fs.writeFileSync(path.join(workdir, 'data/db.txt'), text);
const data = () => fs.readFileSync(path.join(workdir, 'data/db.txt'), 'utf8');

beforeEach(() => {
  workdir = tempDir('trust');
  fs.mkdirSync(path.join(workdir, 'data'));
  setData('phase 1');
});

test(
  'a manual rollback falls back from a corrupt final snapshot to ' + "the same cutover's Phase 1 archive, and says so",
  async () => {
    const loaded = load('loans');
    const phase1 = await backupForCutover(loaded, 'cutover-1.abcdef12');
    setData('final');
    const final = await backupForCutover(loaded, 'cutover-1.abcdef12.final');
    expect(path.basename(final.archive)).toMatch(/^loans\.cutover-1\.abcdef12\.final-/);
    expect((await chooseManualRollbackBackup(loaded)).backup.archive).toBe(final.archive);

    corrupt(final.archive);
    // the cutover's own rollback verifies what it recorded: refused, no fallback
    expect((await failureOf(verifyBackupArchive(loaded, final))).type).toBe(FailureType.BackupCorrupt);
    const choice = await chooseManualRollbackBackup(loaded);
    expect(choice.backup).toMatchObject({ archive: phase1.archive, sha256: phase1.sha256 });
    expect(choice.note).toMatch(
      /^final snapshot .* refused \(.*corrupt.*\); restoring the intact Phase 1 archive .* of the same cutover instead/,
    );
    // an explicit label never falls back: the operator chose it
    expect(
      (await failureOf(chooseManualRollbackBackup(loaded, { label: 'loans.cutover-1.abcdef12.final' }))).type,
    ).toBe(FailureType.BackupCorrupt);
    const chosen = await chooseManualRollbackBackup(loaded, { label: 'loans.cutover-1.abcdef12' });
    setData('v2 wrote this');
    await restoreBackupArchive(loaded, chosen.backup);
    expect(data()).toBe('phase 1');
  },
);

test(
  'restore and verify refuse archives outside the backup dir, of ' +
    'another plan, or with a checksum other than recorded',
  async () => {
    const loaded = load('loans');
    const own = await backupForCutover(loaded, 'c1.aaaaaaaa');
    const other = await backupForCutover(load('payroll'), 'c9.bbbbbbbb');
    const elsewhere = path.join(workdir, 'elsewhere.tar.gz');
    fs.copyFileSync(own.archive, elsewhere);
    fs.copyFileSync(`${own.archive}.manifest.json`, `${elsewhere}.manifest.json`);

    const outside = await failureOf(restoreBackupArchive(loaded, { ...own, archive: elsewhere }));
    expect(outside.message).toContain("is not an archive in the plan's backup dir");
    const foreign = await failureOf(restoreBackupArchive(loaded, other));
    expect(foreign.message).toContain('belongs to "payroll", not to plan "loans"');
    const wrongSha = await failureOf(verifyBackupArchive(loaded, { ...own, sha256: 'f'.repeat(64) }));
    expect(wrongSha.message).toContain(`differs from ${'f'.repeat(64)} recorded by the cutover`);
    const climbing = await failureOf(
      verifyBackupArchive(loaded, { ...own, archive: `../${path.basename(workdir)}/backups/../elsewhere.tar.gz` }),
    );
    expect(climbing.nonRetryable).toBe(true);
    expect(data()).toBe('phase 1');
  },
);

test('a backup label made from a hostile workflow id stays a plain file in the backup dir', async () => {
  const info = await backupForCutover(load('loans'), '../../x-evil.12345678');
  expect(path.dirname(info.archive)).toBe(path.join(workdir, 'backups'));
  expect(path.basename(info.archive)).toMatch(/^loans\.x-evil\.12345678-/);
});

test("pruning removes only the plan's own old archives: a foreign archive in the same dir survives", async () => {
  const mine = await backupForCutover(load('loans'), 'old.11111111');
  const theirs = await backupForCutover(load('payroll'), 'old.22222222');
  const stray = path.join(workdir, 'backups', 'hand-made.tar.gz');
  fs.writeFileSync(stray, 'not ours');
  const old = new Date(Date.now() - 200 * 86_400_000);
  for (const f of [mine.archive, theirs.archive, stray]) fs.utimesSync(f, old, old);

  expect(await pruneOldBackups(load('loans'))).toBe(1);
  expect(fs.existsSync(mine.archive)).toBe(false);
  expect(fs.existsSync(theirs.archive) && fs.existsSync(`${theirs.archive}.manifest.json`)).toBe(true);
  expect(fs.existsSync(stray)).toBe(true);
});

test('a corrupt traffic pointer file is an error, not "no switch yet"', async () => {
  const loaded = load('loans');
  expect(await readTraffic(loaded)).toBeNull();
  expect(await switchTraffic(loaded, 'v2')).toMatchObject({ active: 'v2', upstream: 'http://127.0.0.1:2' });
  fs.writeFileSync(path.join(workdir, 'upstream.json'), '{"active": "v2", "upstr');
  const failure = await failureOf(switchTraffic(loaded, 'v1'));
  expect(failure.type).toBe(FailureType.TrafficPointerCorrupt);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(
    /traffic\.pointerFile .*upstream\.json is corrupt .*fix or delete the file and retry/,
  );
  expect(fs.readFileSync(path.join(workdir, 'upstream.json'), 'utf8')).toBe('{"active": "v2", "upstr');
});

test('the UI link follows CUTOVER_UI_URL or Temporal Cloud, and is never guessed from a port', () => {
  expect(uiBase('localhost:7233', { CUTOVER_UI_URL: 'https://temporal.example.com/' })).toBe(
    'https://temporal.example.com',
  );
  expect(uiBase('my-ns.a1b2c.tmprl.cloud:7233', {})).toBe('https://cloud.temporal.io');
  expect(uiBase('localhost:7233', {})).toBeUndefined();
  expect(uiBase('temporal.internal:17233', {})).toBeUndefined();
});
