/**
 * The one duration field every plan schema uses: a human string ("90s", "30m") within bounds
 * that make sense for what it times, so `sentinelEvery: 1ms` (a probe loop that never rests) or
 * `stopGrace: 400d` is refused with the range, not run.
 */
import { z } from 'zod';
import { DURATION_PATTERN, parseDuration } from './duration';

/** A fix for a wrong value; a missing value falls through to zod's own issue, reported as "required". */
export const hint = (text: string) => (issue: { input?: unknown }) => (issue.input === undefined ? undefined : text);

export interface DurationBounds {
  /** default 1s: nothing in a plan is timed usefully below a second */
  min?: string;
  /** default 30d */
  max?: string;
}

export function duration(example: string, bounds: DurationBounds = {}) {
  const min = bounds.min ?? '1s';
  const max = bounds.max ?? '30d';
  const [minMs, maxMs] = [parseDuration(min), parseDuration(max)];
  // A malformed value has its own issue (the pattern): the bounds only judge a readable one.
  const ms = (text: string) => (DURATION_PATTERN.test(text) ? parseDuration(text) : undefined);
  return z
    .string()
    .regex(DURATION_PATTERN, { error: hint(`use a number and a unit (ms, s, m, h, d), e.g. "${example}"`) })
    .refine((text) => (ms(text) ?? minMs) >= minMs, {
      error: (issue) => `"${String(issue.input)}" is too short here: use at least ` + `${min}, e.g. "${example}"`,
    })
    .refine((text) => (ms(text) ?? maxMs) <= maxMs, {
      error: (issue) => `"${String(issue.input)}" is too long here: use at most ${max}, ` + `e.g. "${example}"`,
    });
}
