/**
 * No orphans: every child process an activity starts (tar, the test runner, driver commands) runs
 * in its own process group and is recorded here as {pid, start time, what, worker}. A record is
 * removed when the child ends; a worker starting on the host kills what a dead worker left
 * (after checking pid AND start time, so a reused pid is never hit) and removes the records.
 * Folder: $CUTOVER_RUN_DIR/activity-children (default .data/run under the worker's cwd).
 */
import fs from 'node:fs';
import path from 'node:path';

export const childrenDir = () => path.resolve(process.env.CUTOVER_RUN_DIR ?? '.data/run', 'activity-children');

interface ChildRecord {
  pid: number;
  startTicks: string;
  what: string;
  workerPid: number;
  workerStartTicks: string;
}

/** Field 22 of /proc/PID/stat: start time in clock ticks since boot; undefined when gone (or not Linux). */
export function startTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Records a started child; call the returned function when it has ended. */
export function trackChild(pid: number | undefined, what: string): () => void {
  const ticks = pid ? startTicks(pid) : undefined;
  if (!pid || !ticks) return () => undefined;
  const file = path.join(childrenDir(), `${pid}.json`);
  try {
    fs.mkdirSync(childrenDir(), { recursive: true });
    const record: ChildRecord = {
      pid,
      startTicks: ticks,
      what: what.slice(0, 300),
      workerPid: process.pid,
      workerStartTicks: startTicks(process.pid) ?? '',
    };
    fs.writeFileSync(file, JSON.stringify(record));
  } catch {
    return () => undefined; // a read-only run folder must not stop the step itself
  }
  return () => fs.rmSync(file, { force: true });
}

/** Kills the process groups that workers no longer running on this host left behind. */
export function reapOrphans(log: (message: string) => void = () => undefined): string[] {
  const dir = childrenDir();
  const killed: string[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : []) {
    const file = path.join(dir, name);
    let record: ChildRecord;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8')) as ChildRecord;
    } catch {
      fs.rmSync(file, { force: true });
      continue;
    }
    // Another live worker on this host owns it: not ours to touch.
    if (record.workerPid !== process.pid && startTicks(record.workerPid) === record.workerStartTicks) continue;
    if (startTicks(record.pid) === record.startTicks) {
      try {
        process.kill(-record.pid, 'SIGKILL');
        killed.push(`${record.pid} (${record.what})`);
        log(`killed process group ${record.pid} left by worker ${record.workerPid}: ${record.what}`);
      } catch {
        // already gone
      }
    }
    fs.rmSync(file, { force: true });
  }
  return killed;
}
