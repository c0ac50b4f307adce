/** Real OpenSSH keys for signed-vote tests, made by ssh-keygen in a temp folder. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestKey {
  /** private key file (no passphrase) */
  file: string;
  /** the .pub line, as a plan lists it */
  publicKey: string;
}

export function makeKeyDir(): {
  dir: string;
  key: (name: string, type?: 'ed25519' | 'ecdsa') => TestKey;
  cleanup: () => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-keys-'));
  return {
    dir,
    key(name, type = 'ed25519') {
      const file = path.join(dir, `${name}-${type}`);
      if (!fs.existsSync(file))
        execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `${name}@test`, '-f', file]);
      return { file, publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** `ssh-keygen -Y sign` over `message`, as a person would run it. */
export function sshSignSync(keyFile: string, message: string, namespace = 'cutover-approval'): string {
  return execFileSync('ssh-keygen', ['-Y', 'sign', '-f', keyFile, '-n', namespace], {
    input: message,
    stdio: ['pipe', 'pipe', 'ignore'],
  })
    .toString()
    .trim();
}
