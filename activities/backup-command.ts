/**
 * The `command` backup driver: the plan's own argv lists (no shell), run in the plan's workdir,
 * with `{{ artifact }}` replaced by the file the backup lives in (one per backup, in backup.dir).
 * What the commands guarantee is theirs to say; this driver guarantees the artifact's bytes are
 * the ones written at backup time before any restore runs (docs/backups/command.md).
 */
import fs from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import type { DatabaseBackupSpec } from '../domain/backup-schema';
import { FailureType } from './failure-types';
import { describeResult, runCommand } from './services/service-driver';

export type CommandBackupSpec = Extract<DatabaseBackupSpec, { driver: 'command' }>;
const TIMEOUT_MS = 10 * 60_000;
const ARTIFACT = /\{\{\s*artifact\s*\}\}/g;

const withArtifact = (argv: string[], artifact: string) => argv.map((a) => a.replace(ARTIFACT, artifact));

async function run(argv: string[], cwd: string) {
  const r = await runCommand(argv, { cwd, timeoutMs: TIMEOUT_MS });
  return { ok: r.code === 0, text: describeResult(argv, r) };
}

export async function backupByCommand(spec: CommandBackupSpec, artifact: string, cwd: string): Promise<void> {
  const r = await run(withArtifact(spec.backup, artifact), cwd);
  if (!r.ok)
    throw ApplicationFailure.retryable(`backup command of "${spec.name}" failed: ${r.text}`, FailureType.BackupFailed);
  if (!fs.existsSync(artifact) || !fs.statSync(artifact).isFile())
    throw ApplicationFailure.nonRetryable(
      `backup command of "${spec.name}" exited 0 but wrote no file at {{ artifact }} (${artifact}): ` +
        `make it write the backup to the path it is given`,
      FailureType.InvalidBackupConfig,
    );
}

/** The plan's verify argv on the artifact (when it has one); the reason it refused, if it did. */
export async function verifyByCommand(spec: CommandBackupSpec, artifact: string, cwd: string) {
  if (!spec.verify) return undefined;
  const r = await run(withArtifact(spec.verify, artifact), cwd);
  return r.ok ? undefined : `its verify command refused it: ${r.text}`;
}

/** Not retried: a restore command that failed half-way may not be safe to run again unattended. */
export async function restoreByCommand(spec: CommandBackupSpec, artifact: string, cwd: string): Promise<void> {
  const r = await run(withArtifact(spec.restore, artifact), cwd);
  if (!r.ok)
    throw ApplicationFailure.nonRetryable(
      `restore command of "${spec.name}" failed: ${r.text}`,
      FailureType.BackupFailed,
    );
}
