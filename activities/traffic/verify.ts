/**
 * A switch is done when users see it: the public address is probed until the answers come
 * from the version that should serve, N in a row (or, for a split, from each version that
 * should get a share). Not seen before the plan's timeout → the step fails non-retryably and
 * the cutover rolls back.
 */
import { ApplicationFailure } from '@temporalio/common';
import { parseDuration } from '../../domain/duration';
import type { TrafficSpec } from '../../domain/traffic-schema';
import type { TrafficRole, TrafficStep } from '../../domain/traffic-state';
import { httpRequest, joinUrl, type HttpAnswer } from '../../infra/http-client';
import { FailureType } from '../failure-types';
import { heartbeat } from '../heartbeat';

const PROBE_EVERY_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which version answered, by the plan's header or JSON field (default the body's "version"). */
export function versionOf(spec: TrafficSpec, answer: HttpAnswer): TrafficRole | 'other' {
  const { header, jsonField, values } = spec.verify;
  let said: unknown;
  if (header) said = answer.headers[header.toLowerCase()];
  else {
    said = answer.json;
    for (const key of (jsonField ?? 'version').split('.'))
      said = said && typeof said === 'object' ? (said as Record<string, unknown>)[key] : undefined;
  }
  return said === values.v1 ? 'v1' : said === values.v2 ? 'v2' : 'other';
}

/**
 * `weights` is what the router was just told. All to one role: `consecutive` answers in a row
 * from it. A split: each role with a share answered at least once, and nobody else.
 */
export async function verifyThroughRouter(
  spec: TrafficSpec,
  weights: { v1: number; v2: number },
): Promise<NonNullable<TrafficStep['verified']> | undefined> {
  if (!spec.publicUrl) return undefined;
  const url = joinUrl(spec.publicUrl, spec.verify.path);
  const expected = (['v1', 'v2'] as const).filter((r) => weights[r] > 0);
  if (!expected.length) return undefined;
  const started = Date.now();
  const deadline = started + parseDuration(spec.verify.timeout);
  const seen: Partial<Record<TrafficRole, number>> = {};
  let inRow = 0;
  let answers = 0;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const answer = await httpRequest(url, { timeoutMs: 2_000, retries: 0 });
      answers++;
      const who = versionOf(spec, answer);
      last = `${answer.status} from ${who}`;
      if (answer.status < 500 && who !== 'other') seen[who] = (seen[who] ?? 0) + 1;
      const good = answer.status < 500 && who !== 'other' && expected.includes(who);
      inRow = good ? inRow + 1 : 0;
      const done =
        expected.length === 1
          ? inRow >= spec.verify.consecutive
          : expected.every((r) => seen[r]) && inRow >= spec.verify.consecutive;
      if (done) return { answers, ms: Date.now() - started, seen };
    } catch (err) {
      inRow = 0;
      last = (err as Error).message;
    }
    heartbeat({ verifying: url, answers, last });
    await sleep(PROBE_EVERY_MS);
  }
  throw ApplicationFailure.nonRetryable(
    `traffic not verified: ${url} did not answer from ` +
      `${expected.map((r) => r.toUpperCase()).join(' + ')} within ` +
      `${spec.verify.timeout} (${answers} answers, last: ${last}); ` +
      `check traffic.verify (header/jsonField/values) and the router`,
    FailureType.TrafficNotVerified,
  );
}
