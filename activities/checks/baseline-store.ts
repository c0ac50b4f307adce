/**
 * Baselines on disk (domain/baseline.ts): the plan's store, `<validation.baselineStore>/<plan>.json`,
 * written by the shadow run and `cutover baseline capture`; and any baseline file a user gives
 * (`--baseline`, validation.baselineFile), which is either such a record or a raw answer of one
 * of the plan's compare checks (a saved /kpis), mapped onto the checks it answers.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import type { CheckSpec } from '../../domain/check-schema';
import {
  BASELINE_FORMAT,
  describeCoverage,
  isBaselineRecord,
  mergeBaselines,
  valuesOf,
  type BaselineRecord,
  type BaselineValues,
} from '../../domain/baseline';
import { flattenNumbers } from '../../domain/value-compare';
import { safeSlug } from '../../domain/names';
import { insideWorkdir } from '../plan-paths';
import { jmespathSearch, selectedKeys } from './providers/jmespath';
import { PROVIDERS } from './providers';
import { fetchAnswer } from './run-check';

export interface ReadBaseline {
  values: BaselineValues;
  /** which kind of file it was and what it covers, for the CLI to say */
  described: string;
}

export const compareChecks = (loaded: LoadedPlan): CheckSpec[] => loaded.plan.checks.filter((c) => c.compare);

export function baselineStoreFile(loaded: LoadedPlan): string {
  const dir = insideWorkdir(loaded, loaded.plan.validation.baselineStore, 'validation.baselineStore');
  return path.join(dir, `${safeSlug(loaded.plan.name, 'plan')}.json`);
}

/** Written whole or not at all (a rename), so a validation never reads half a baseline. */
export async function recordBaseline(
  loaded: LoadedPlan,
  values: BaselineValues,
  source: string,
  target: ServiceRole = 'v1',
  file = baselineStoreFile(loaded),
): Promise<string> {
  const record: BaselineRecord = {
    format: BASELINE_FORMAT,
    plan: loaded.plan.name,
    recordedAt: new Date().toISOString(),
    source,
    target,
    values,
  };
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(record, null, 2) + '\n');
  await rename(partial, file);
  return file;
}

/** A raw answer on the http compare checks whose `extract` finds numbers in it. */
function fromAnswer(loaded: LoadedPlan, raw: unknown): BaselineValues {
  const values: BaselineValues = {};
  for (const check of compareChecks(loaded).filter((c) => c.http)) {
    let picked: unknown = raw;
    try {
      if (check.http!.extract) picked = jmespathSearch(raw, check.http!.extract);
    } catch {
      continue;
    }
    for (const [field, value] of Object.entries(flattenNumbers(picked ?? {}))) values[`${check.name}:${field}`] = value;
  }
  return values;
}

/** A parsed baseline file: a record (of this plan) or a raw provider answer; throws saying what it expected. */
export function baselineFromJson(loaded: LoadedPlan, raw: unknown, file: string): ReadBaseline {
  if (isBaselineRecord(raw)) {
    const record = raw as Partial<BaselineRecord>;
    if (record.format !== BASELINE_FORMAT)
      throw new Error(
        `baseline ${file} is in format ${String(record.format)}; this ` +
          `cutover reads ${BASELINE_FORMAT}: capture it again`,
      );
    if (record.plan !== loaded.plan.name)
      throw new Error(
        `baseline ${file} was recorded for plan "${record.plan}", not "` +
          `${loaded.plan.name}": capture one for this plan`,
      );
    const values = record.values && typeof record.values === 'object' ? record.values : {};
    return {
      values,
      described:
        `a baseline recorded ${record.recordedAt} (${record.source}, ` +
        `${record.target}): ${describeCoverage(values)}`,
    };
  }
  const values = fromAnswer(loaded, raw);
  if (!Object.keys(values).length) {
    const expected = compareChecks(loaded)
      .filter((c) => c.http)
      .map((c) => `${c.name} (GET ${c.http!.path}${c.http!.extract ? `, extract ${c.http!.extract}` : ''})`);
    throw new Error(
      `baseline ${file} is neither a baseline from \`cutover baseline ` +
        `capture\` nor an answer of the plan's http compare checks` +
        (expected.length
          ? ` ${expected.join(', ')}: save one of those answers, or capture ` + `a baseline`
          : ' (the plan has none): capture a baseline'),
    );
  }
  return { values, described: `a raw provider answer, used for ${describeCoverage(values)}` };
}

/**
 * What a baseline lacks of the fields the compare checks it covers need: an extract
 * `{kpis: …, breakdowns: …}` compares both, and a file with numbers under `kpis` only would pass
 * every group unseen (V2's extra fields are not an error). Empty when nothing is lacking.
 */
export function baselineGaps(loaded: LoadedPlan, values: BaselineValues): string[] {
  const gaps: string[] = [];
  for (const check of compareChecks(loaded)) {
    const own = valuesOf(check.name, values);
    const keys = check.http?.extract ? selectedKeys(check.http.extract) : undefined;
    if (!own || !keys) continue;
    const paths = Object.keys(own);
    const lacking = keys.filter((k) => !paths.some((p) => p === k || p.startsWith(`${k}.`)));
    if (lacking.length)
      gaps.push(
        `${check.name} needs ${lacking.join(', ')} (its extract ${check.http!.extract} on GET ` +
          `${check.http!.path}), the file has no numbers there`,
      );
  }
  return gaps;
}

/** A baseline file given by the user, refused when it lacks what the compare checks need. */
export async function readCompleteBaselineFile(loaded: LoadedPlan, file: string): Promise<ReadBaseline> {
  const read = await readBaselineFile(loaded, file);
  const gaps = baselineGaps(loaded, read.values);
  if (gaps.length)
    throw new Error(
      `baseline ${file} lacks fields the plan's compare checks need: ${gaps.join('; ')}: save the ` +
        `whole answer, or record one with \`cutover baseline capture\``,
    );
  return read;
}

export async function readBaselineFile(loaded: LoadedPlan, file: string): Promise<ReadBaseline> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  return baselineFromJson(loaded, raw, file);
}

/** The store's record, if one was written. */
async function storedBaseline(loaded: LoadedPlan): Promise<BaselineValues | undefined> {
  const file = baselineStoreFile(loaded);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new Error(`cannot read the recorded baseline ${file}: ${err.message}`);
  });
  return text === undefined ? undefined : baselineFromJson(loaded, JSON.parse(text), file).values;
}

/**
 * What a validation compares with when no shadow run handed values over: validation.baselineFile, then the store, per
 * check.
 */
export async function planBaseline(loaded: LoadedPlan): Promise<BaselineValues | undefined> {
  const file = loaded.plan.validation.baselineFile;
  const given = file
    ? (await readBaselineFile(loaded, insideWorkdir(loaded, file, 'validation.baselineFile'))).values
    : undefined;
  return mergeBaselines(given, await storedBaseline(loaded));
}

/** `cutover baseline capture`: the compare checks' answers from `role` now, as V1's recorded values. */
export async function captureBaseline(
  loaded: LoadedPlan,
  role: ServiceRole,
): Promise<{ values: BaselineValues; problems: string[] }> {
  const values: BaselineValues = {};
  const problems: string[] = [];
  for (const check of compareChecks(loaded)) {
    const answer = await fetchAnswer(loaded, check, role, { providers: PROVIDERS }).catch((err: Error) => ({
      ok: false as const,
      inconclusive: err.message,
    }));
    if (!answer.ok) {
      problems.push(`${check.name}: ${answer.inconclusive}`);
      continue;
    }
    const fields = Object.entries(flattenNumbers(answer.value));
    if (!fields.length) problems.push(`${check.name}: the answer has no numbers to record`);
    for (const [field, value] of fields) values[`${check.name}:${field}`] = value;
  }
  return { values, problems };
}
