/** Phase 0: everything that must be true before anyone is asked for a GO. Changes nothing. */
import { access, constants, mkdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import { probeHealth } from './services/health';
import { FailureType } from './failure-types';
import { PREREQUISITE_PARTS, type PrerequisitePart } from '../domain/host-placement';

export interface PrerequisiteCheck {
  name: string;
  ok: boolean;
  detail: string;
}

async function exists(file: string): Promise<boolean> {
  return access(file, constants.R_OK).then(
    () => true,
    () => false,
  );
}

/** `parts`: only these facts (each is checked on the machine that holds it); default all of them. */
export async function checkPrerequisites(
  loaded: LoadedPlan,
  parts: readonly PrerequisitePart[] = PREREQUISITE_PARTS,
): Promise<PrerequisiteCheck[]> {
  const { plan, workdir } = loaded;
  const at = (p: string) => path.resolve(workdir, p);
  const checks: PrerequisiteCheck[] = [];
  if (parts.includes('backup')) checks.push(...(await backupFacts(loaded)));
  const artifact = plan.services.v2.artifact;
  if (artifact && parts.includes('artifact'))
    checks.push({ name: 'V2 artifact present', ok: await exists(at(artifact)), detail: at(artifact) });
  if (parts.includes('v1Health')) {
    const v1 = await probeHealth(plan.services.v1);
    checks.push({
      name: 'V1 healthy',
      ok: v1.healthy,
      detail: v1.healthy
        ? `${plan.services.v1.baseUrl} answered ${v1.status}`
        : `${plan.services.v1.baseUrl}: ${v1.error ?? 'status ' + v1.status}`,
    });
  }
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    throw ApplicationFailure.nonRetryable(
      `prerequisites not met: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`,
      FailureType.PrerequisiteFailed,
      checks,
    );
  }
  return checks;
}

/** The backup host's facts: every path to back up readable, enough free disk where archives go. */
async function backupFacts({ plan, workdir }: LoadedPlan): Promise<PrerequisiteCheck[]> {
  const at = (p: string) => path.resolve(workdir, p);
  const checks: PrerequisiteCheck[] = [];
  for (const p of plan.backup.paths) {
    checks.push({ name: `backup path ${p}`, ok: await exists(at(p)), detail: at(p) });
  }
  // A database backup reads its URL from this host's environment: missing, Phase 1 could not dump it.
  for (const d of plan.backup.databases ?? []) {
    if (d.driver !== 'postgres') continue;
    const set = !!process.env[d.url.env];
    checks.push({ name: `backup database ${d.name}`, ok: set, detail: `${d.url.env} ${set ? 'set' : 'not set'}` });
  }
  const backupDir = at(plan.backup.dir);
  await mkdir(backupDir, { recursive: true });
  const fs = await statfs(backupDir);
  const freeMb = Math.floor((Number(fs.bavail) * Number(fs.bsize)) / 1_048_576);
  checks.push({
    name: 'free disk for backups',
    ok: freeMb >= plan.thresholds.minFreeDiskMb,
    detail: `${freeMb} MB free in ${backupDir}, need ${plan.thresholds.minFreeDiskMb} MB`,
  });
  return checks;
}
