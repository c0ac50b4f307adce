/** CPU time of this process's descendants (the Java test server, the demo services), from /proc. */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

function children(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** CPU ms (user + system) of every descendant whose command line matches `pattern`. */
export function descendantCpuMs(pattern: RegExp): number {
  let ms = 0;
  const queue = children(process.pid);
  while (queue.length) {
    const pid = queue.shift()!;
    queue.push(...children(pid));
    try {
      if (!pattern.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

/** This process (all its threads: the worker's main and workflow threads), in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const JAVA_SERVER = /java|temporal-test-server/;
export const DEMO_SERVICE = /demo\/service\/main\.ts/;
