/**
 * The paths of a plan the worker writes, replaces or deletes (or reads as data): they must stay
 * inside the plan's workdir, so a plan (or a workflow input) can never make the worker touch
 * files elsewhere on its host. Where a COMMAND runs (services.*.cwd, tests.cwd) and the V2
 * artifact (only checked to exist) are the plan author's choice and are not confined. Pure.
 */
import type { Plan } from './plan-schema';

export interface DataPath {
  /** the plan field, e.g. "backup.paths.0" */
  field: string;
  value: string;
}

export function dataPaths(plan: Plan): DataPath[] {
  const out: DataPath[] = plan.backup.paths.map((value, i) => ({ field: `backup.paths.${i}`, value }));
  out.push({ field: 'backup.dir', value: plan.backup.dir }, { field: 'reports.dir', value: plan.reports.dir });
  if (plan.notifications.file) out.push({ field: 'notifications.file', value: plan.notifications.file });
  const t = plan.traffic;
  if (t) out.push({ field: 'traffic.stateDir', value: t.stateDir });
  if (t?.driver === 'file') out.push({ field: 'traffic.pointerFile', value: t.pointerFile });
  if (t?.driver === 'nginx') out.push({ field: 'traffic.include', value: t.include });
  if (t?.driver === 'haproxy' && t.persistStateFile)
    out.push({ field: 'traffic.persistStateFile', value: t.persistStateFile });
  if (plan.validation.baselineFile) out.push({ field: 'validation.baselineFile', value: plan.validation.baselineFile });
  out.push({ field: 'validation.baselineStore', value: plan.validation.baselineStore });
  for (const role of ['v1', 'v2'] as const) {
    const spec = plan.services[role];
    if (spec.driver === 'process') out.push({ field: `services.${role}.runDir`, value: spec.runDir });
  }
  return out;
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** Lexical normalisation ("a/./b/../c" → "a/c"); a leading ".." survives, so an escape shows. */
function normalize(p: string): string[] {
  const out: string[] = [];
  for (const part of p.split(/[\\/]+/)) {
    if (!part || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out;
}

/**
 * What can be told from the plan alone: a relative path that climbs out with "..", or an
 * absolute path outside an absolute workdir. An absolute path under a relative workdir is left
 * to the worker, which knows where the plan file is.
 */
export function staticEscape(value: string, workdir: string | undefined): string | undefined {
  if (!isAbsolute(value)) {
    return normalize(value)[0] === '..'
      ? `"${value}" climbs out of the plan's workdir with "..": use a ` + `path inside workdir`
      : undefined;
  }
  if (!workdir || !isAbsolute(workdir)) return undefined;
  const root = normalize(workdir);
  const target = normalize(value);
  const inside = root.every((part, i) => target[i] === part);
  return inside ? undefined : `"${value}" is outside the plan's workdir (${workdir}): use a path relative to workdir`;
}
