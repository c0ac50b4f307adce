/**
 * The reference a compare check uses when no shadow run recorded one: the plan's
 * validation.baselineFile, a saved answer of V1's (flattened to path → number).
 */
import { readFile } from 'node:fs/promises';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { flattenNumbers, type FlatValues } from '../../domain/value-compare';
import { insideWorkdir } from '../plan-paths';

export async function planBaseline(loaded: LoadedPlan): Promise<FlatValues | undefined> {
  const file = loaded.plan.validation.baselineFile;
  if (!file) return undefined;
  const absolute = insideWorkdir(loaded, file, 'validation.baselineFile');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(absolute, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read validation.baselineFile ${absolute}: ${(err as Error).message}`);
  }
  const values = flattenNumbers(raw);
  if (!Object.keys(values).length) throw new Error(`validation.baselineFile ${absolute} has no numbers to compare with`);
  return values;
}
