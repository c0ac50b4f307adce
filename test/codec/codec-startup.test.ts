/** Bad codec settings stop the `cutover codec-server` command and the worker at once, with the fix. */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';

test('`cutover codec-server` refuses to start without keys or with a bad origin, saying what to set', async () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        path.resolve(__dirname, '../../bin/cutover'),
        ['codec-server', '--port', '0', ...args],
        { env: { ...process.env, CUTOVER_CODEC_KEYS: '', CUTOVER_CODEC_KEY_FILE: '', ...env } },
        (err, _out, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
  const noKeys = await run([], {});
  expect(noKeys).toMatchObject({ code: 2, stderr: expect.stringContaining('no codec keys: set CUTOVER_CODEC_KEYS') });
  const badOrigin = await run(['--origin', 'localhost:8233'], {
    CUTOVER_CODEC_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
  });
  expect(badOrigin).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('--origin localhost:8233: expected a scheme and host'),
  });
});

test('the worker refuses to start with a bad key setting, before connecting, naming the fix', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'worker/main.ts'],
      {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, CUTOVER_CODEC_KEYS: 'k1:c2hvcnQ=', TEMPORAL_ADDRESS: '127.0.0.1:1' },
      },
      (err, _out, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    'cutover-worker: CUTOVER_CODEC_KEYS line 1: key "k1" is 5 ' +
      'bytes, AES-256 needs 32: make a key with `openssl rand -base64 32`',
  );
});
