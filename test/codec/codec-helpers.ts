/** Shared by the codec tests: a fresh key set, the real `cutover codec-server` as a child, base64 forms of a secret. */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { REPO } from '../helpers/demo-fixture';

export const newKeys = () => `k1:${crypto.randomBytes(32).toString('base64')}`;

/**
 * Every way `secret` can show up inside base64 of a larger text: its encoding at each of the
 * three byte alignments, trimmed to the characters that do not depend on its neighbours.
 */
export function base64Forms(secret: string): string[] {
  return [0, 1, 2].map((pad) => {
    const b64 = Buffer.from('\0'.repeat(pad) + secret).toString('base64');
    const start = Math.ceil((pad * 4) / 3);
    const end = Math.floor(((pad + Buffer.byteLength(secret)) * 4) / 3);
    return b64.slice(start, end);
  });
}

export interface CodecServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `bin/cutover codec-server --port 0`, waited on until it prints its endpoint. */
export function startCodecServer(
  keys: string,
  origins: string[],
  env: Record<string, string> = {},
): Promise<CodecServerProcess> {
  const args = ['codec-server', '--port', '0', ...origins.flatMap((o) => ['--origin', o])];
  const child = spawn(path.join(REPO, 'bin/cutover'), args, {
    env: { ...process.env, CUTOVER_CODEC_KEYS: keys, CUTOVER_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({
          url: m[1]!,
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`codec server exited (${code}):\n${out}`)));
  });
}
