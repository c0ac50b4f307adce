/**
 * `nginx -s reload` only signals the master; the new config is live once the master has started
 * workers with it and the old workers (which keep accepting until they get their QUIT) are gone.
 * Waiting for that makes "reloaded" mean "new connections get the new upstream" (Linux /proc;
 * elsewhere, or without a pid file, it is skipped and the probes through the router are the proof).
 */
import fs from 'node:fs';
import { heartbeat } from '../heartbeat';

const WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function masterPid(configText: string): number | undefined {
  const file = /^\s*pid\s+([^;\s]+)\s*;/m.exec(configText)?.[1] ?? '/run/nginx.pid';
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function workersOf(master: number): Set<number> {
  const out = new Set<number>();
  if (!fs.existsSync('/proc')) return out;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so split after its closing paren
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === master) out.add(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Runs `reload` and resolves once only new workers run (at most 10 s: an old one may finish a long request). */
export async function reloadAndWait<T>(configFile: string, reload: () => Promise<T>): Promise<T> {
  let master: number | undefined;
  try {
    master = masterPid(fs.readFileSync(configFile, 'utf8'));
  } catch {
    master = undefined;
  }
  const old = master ? workersOf(master) : new Set<number>();
  const result = await reload();
  if (!master || !old.size) return result;
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const now = [...workersOf(master)];
    // new workers started AND the old ones gone: until they quit they still accept connections
    if (now.some((pid) => !old.has(pid)) && !now.some((pid) => old.has(pid))) return result;
    heartbeat({ waiting: 'nginx workers with the new config' });
    await sleep(20);
  }
  return result;
}
