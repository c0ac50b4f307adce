/**
 * The report of one scheduled validation, as JSON beside the plan's other reports. One file per
 * run (named after its workflow id), so a series of scheduled runs can be trended with jq.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ValidationReport } from '../../domain/validation-report';
import { safeSlug } from '../../domain/names';
import { fileInside, insideWorkdir } from '../plan-paths';

/** Writes `<reports.dir>/<name>.json` and returns its absolute path. */
export async function writeValidationReport(
  loaded: LoadedPlan,
  report: ValidationReport,
  name: string,
): Promise<string> {
  const dir = insideWorkdir(loaded, loaded.plan.reports.dir, 'reports.dir');
  await mkdir(dir, { recursive: true });
  // Scheduled workflow ids carry a timestamp with ':'; a name must never climb out of the folder.
  const file = fileInside(dir, `${safeSlug(name, 'validation')}.json`);
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
