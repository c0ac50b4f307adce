/** No orphans: what a dead worker left is killed at the next worker's start, and only that. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childrenDir, reapOrphans, startTicks, trackChild } from '../../activities/child-registry';
import { runCommand } from '../../activities/services/service-driver';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-'));
  process.env.CUTOVER_RUN_DIR = dir;
});
afterEach(() => {
  delete process.env.CUTOVER_RUN_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleeper = () => spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
const record = (pid: number, extra: Record<string, unknown>) => {
  fs.mkdirSync(childrenDir(), { recursive: true });
  fs.writeFileSync(
    path.join(childrenDir(), `${pid}.json`),
    JSON.stringify({ pid, startTicks: startTicks(pid), what: 'sleep 60', ...extra }),
  );
};
const gone = (pid: number) =>
  new Promise<boolean>((resolve) => setTimeout(() => resolve(startTicks(pid) === undefined), 300));

test(
  'a child of a dead worker is killed (pid and start time ' +
    "checked); a live worker's child and a reused pid are left alone",
  async () => {
    const orphan = sleeper();
    const owned = sleeper();
    const reused = sleeper();
    try {
      record(orphan.pid!, { workerPid: 999_999_999, workerStartTicks: '1' }); // its worker is gone
      const parent = spawn('sleep', ['60'], { stdio: 'ignore' }); // a live "worker"
      record(owned.pid!, { workerPid: parent.pid, workerStartTicks: startTicks(parent.pid!) });
      record(reused.pid!, { workerPid: 999_999_999, workerStartTicks: '1', startTicks: '12345' }); // pid now someone else's
      const killed = reapOrphans();
      expect(killed).toEqual([`${orphan.pid} (sleep 60)`]);
      expect(await gone(orphan.pid!)).toBe(true);
      expect(startTicks(owned.pid!)).toBeDefined();
      expect(startTicks(reused.pid!)).toBeDefined();
      expect(fs.readdirSync(childrenDir())).toEqual([`${owned.pid}.json`]);
      parent.kill('SIGKILL');
    } finally {
      for (const c of [orphan, owned, reused]) c.kill('SIGKILL');
    }
  },
);

test('runCommand records its child while it runs and removes the record when it ends', async () => {
  const running = runCommand(['sleep', '0.5']);
  await new Promise((r) => setTimeout(r, 200));
  const records = fs
    .readdirSync(childrenDir())
    .map((f) => JSON.parse(fs.readFileSync(path.join(childrenDir(), f), 'utf8')));
  expect(records).toEqual([expect.objectContaining({ what: 'sleep 0.5', workerPid: process.pid })]);
  expect((await running).code).toBe(0);
  expect(fs.readdirSync(childrenDir())).toEqual([]);
  expect(trackChild(undefined, 'nothing')).toBeInstanceOf(Function);
});
