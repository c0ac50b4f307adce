/**
 * Signing a vote on the approver's machine: the statement of domain/signed-vote.ts, signed by
 * `ssh-keygen -Y sign` (execFile, no shell). A private key file signs directly; a public key file
 * signs through ssh-agent, so a key that never leaves the agent works too.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VOTE_NAMESPACE } from '../domain/approval-signature';
import { voteStatement, type GateInfo } from '../domain/signed-vote';
import type { VoteInput } from '../domain/approval-rules';
import { CliError, EXIT } from './exit-codes';

const DEFAULT_KEYS = ['~/.ssh/id_ed25519'];

const expandHome = (file: string) =>
  file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;

/** The key to sign with: --key, else ~/.ssh/id_ed25519 when it exists. */
export function resolveKey(given: string | undefined, what = 'this vote'): string {
  if (given !== undefined) {
    const file = path.resolve(expandHome(given));
    if (!fs.existsSync(file))
      throw new CliError(
        `--key ${given}: no such file; give your Ed25519 private key, ` +
          `or its .pub file when the key is in ssh-agent`,
        EXIT.BAD_INPUT,
      );
    return file;
  }
  const found = DEFAULT_KEYS.map(expandHome).find((f) => fs.existsSync(f));
  if (!found)
    throw new CliError(
      `${what} must be signed: pass --key ~/.ssh/id_ed25519 (or the ` +
        '.pub file of a key in ssh-agent); make a key with ssh-keygen -t ed25519',
      EXIT.BAD_INPUT,
    );
  return found;
}

export function sshSign(keyFile: string, message: string, namespace = VOTE_NAMESPACE): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'ssh-keygen',
      ['-Y', 'sign', '-f', keyFile, '-n', namespace],
      { timeout: 120_000 },
      (err, stdout, stderr) => {
        if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT')
          return reject(
            new CliError('ssh-keygen not found: install OpenSSH 8.1 or later (it signs ' + 'votes and starts)'),
          );
        if (err || !stdout.includes('-----BEGIN SSH SIGNATURE-----')) {
          const why = stderr
            .split('\n')
            .filter((l) => l.trim() && !l.startsWith('Signing data on standard input'))
            .join('; ');
          return reject(
            new CliError(
              `ssh-keygen could not sign with ${keyFile}: ${why || err?.message || 'no signature printed'}`,
              EXIT.BAD_INPUT,
            ),
          );
        }
        resolve(stdout.trim());
      },
    );
    // ssh-keygen may exit before it reads the message (no key): its own reason comes via the callback.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(message);
  });
}

/** The vote with signature and signedAt, bound to the open gate and the workflow's run. */
export async function signVote(gate: GateInfo, vote: VoteInput, keyFile: string, now = new Date()): Promise<VoteInput> {
  if (!gate.gate)
    throw new CliError(
      `no decision is open at ${gate.workflowId}: nothing to sign ` +
        `(cutover status ${gate.workflowId} shows what it waits for; a ` +
        `gate that was just reached opens after its notification: try ` +
        `again in a moment)`,
      EXIT.BAD_INPUT,
    );
  const signedAt = now.toISOString();
  const statement = voteStatement({
    ...vote,
    workflowId: gate.workflowId,
    runId: gate.runId,
    gate: gate.gate,
    signedAt,
  });
  return { ...vote, signedAt, signature: await sshSign(keyFile, statement) };
}
