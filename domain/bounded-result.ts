/**
 * A check's result, bounded for history and reports without losing a figure: the provider's
 * fields (latency, status, exit code) stay whole, and a long value keeps its numbers (path →
 * number) while only its raw text is cut, marked as such.
 */
import { flattenNumbers } from './value-compare';

const MAX_TEXT = 4_000;
/** Enough for every breakdown group of a KPI answer; a bigger answer keeps its first numbers. */
const MAX_NUMBERS = 1_000;

export function shrinkResult(result: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(result.value);
  if (text === undefined || text.length <= MAX_TEXT) return result;
  const all = Object.entries(flattenNumbers(result.value));
  const numbers = Object.fromEntries(all.slice(0, MAX_NUMBERS));
  const value = {
    truncated: `${text.length} characters, the first ${MAX_TEXT} kept in "text"`,
    numbers,
    text: text.slice(0, MAX_TEXT),
  };
  return {
    ...result,
    value: all.length > MAX_NUMBERS ? { ...value, numbersKept: `${MAX_NUMBERS} of ${all.length}` } : value,
  };
}
