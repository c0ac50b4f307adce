/** What the process driver started in a test: it writes `<service>.pid` ("PID [start time]") into its run folder. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Kills the process group of every pid file in runDir, whichever driver wrote it; a missing folder or a gone process is
 * fine.
 */
export function killPidFiles(runDir: string): void {
  for (const file of fs.existsSync(runDir) ? fs.readdirSync(runDir).filter((f) => f.endsWith('.pid')) : []) {
    const pid = Number(fs.readFileSync(path.join(runDir, file), 'utf8').trim().split(' ')[0]);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
