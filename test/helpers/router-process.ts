/**
 * A router (nginx, HAProxy) run by a test: its own temp folder for config, pid, socket and
 * logs, free loopback ports, never the system service. Stopped by the pid we spawned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export interface RouterProcess {
  dir: string;
  publicUrl: string;
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

export function findProgram(name: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/local/sbin', '/usr/bin', ...(process.env.PATH ?? '').split(':')]) {
    if (dir && fs.existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

/** Spawns and waits until the port accepts connections; fails with the router's own output. */
export async function spawnRouter(argv: string[], port: number, dir: string, logFile: string): Promise<ChildProcess> {
  const child = spawn(argv[0], argv.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (;;) {
    const outcome = await Promise.race([exited.then((code) => ({ code })), accepts(port).then((ok) => ({ ok }))]);
    if ('code' in outcome)
      throw new Error(
        `${argv.join(' ')} exited ${outcome.code}: ${output}${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`,
      );
    if (outcome.ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
