/** Real OpenSSH keys for signed-vote tests, made by ssh-keygen in a temp folder. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedPlan } from '../../domain/loaded-plan';
import {
  planContentHash,
  START_NAMESPACE,
  startStatement,
  type StartSignature,
  type StartStatement,
} from '../../domain/signed-start';

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

/**
 * The `startSignature` a `cutover start --key` would send for this plan, cutover id and starter
 * (`over` lets a test sign something else to see it refused).
 */
export function signStart(
  keyFile: string,
  s: { workflowId: string; plan: LoadedPlan; startedBy: string },
  over: Partial<StartStatement> = {},
): StartSignature {
  const signedAt = over.signedAt ?? new Date().toISOString();
  const statement = startStatement({
    cutoverId: s.workflowId,
    plan: s.plan.plan.name,
    planHash: planContentHash(s.plan.plan),
    startedBy: s.startedBy,
    signedAt,
    ...over,
  });
  return { signature: sshSignSync(keyFile, statement, START_NAMESPACE), signedAt };
}
