/** Our `cutover` CLI as a user runs it: a real subprocess, its output and its exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

/** Default address: nothing listens there, so a command that got as far as Temporal fails differently. */
export function runCutover(args: string[], env: NodeJS.ProcessEnv = { TEMPORAL_ADDRESS: '127.0.0.1:1' }) {
  const r = spawnSync(path.join(REPO, 'node_modules/.bin/tsx'), [path.join(REPO, 'client/main.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
