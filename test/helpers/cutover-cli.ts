/** Our `cutover` CLI as a user runs it: a real subprocess, its output and its exit code. */
import { execFile, spawnSync } from 'node:child_process';
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

/**
 * `bin/cutover` against a Temporal server, as an approver runs it: async, so a worker running in
 * the test's own process keeps taking tasks meanwhile (spawnSync would stall it).
 */
export function cutoverAt(
  address: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO, 'bin/cutover'),
      args,
      {
        cwd: REPO,
        timeout: 90_000,
        env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default', ...extraEnv },
      },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode ?? (err as { code?: number } | null)?.code ?? null, stdout, stderr }),
    );
  });
}
