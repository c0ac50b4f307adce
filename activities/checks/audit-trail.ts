/**
 * audit_trail: events keep being written and none are lost. Reads /audit's lastSeq, makes one
 * audited request (GET /kpis), reads again: lastSeq must grow. Then reads the recent events and
 * checks their sequence numbers are consecutive: a gap means events were dropped (or the trail
 * was tampered with), which an audit cannot tolerate.
 */
import { getJsonObject, guarded, serviceUrl, type Check } from './check-util';

/** How far back the gap check looks: recent enough to be quick, wide enough to span a run. */
export const AUDIT_WINDOW = 1000;

export interface SeqGap {
  /** the last seq seen before the gap (or the `after` the read started from) */
  after: number;
  next: number;
}

/** Gaps in a read of events with seq > `after`; the service numbers its events consecutively from 1. */
export function findGaps(after: number, seqs: number[]): SeqGap[] {
  const gaps: SeqGap[] = [];
  let previous = after;
  for (const seq of seqs) {
    if (seq !== previous + 1) gaps.push({ after: previous, next: seq });
    previous = seq;
  }
  return gaps;
}

const lastSeqOf = (body: Record<string, unknown>): number => {
  if (typeof body.lastSeq !== 'number') throw new Error('/audit has no numeric "lastSeq": is this the right service?');
  return body.lastSeq;
};

export const checkAuditTrail: Check = guarded(async (loaded, role) => {
  const url = (p: string) => serviceUrl(loaded, role, p);
  const lastSeqBefore = lastSeqOf(await getJsonObject(url('/audit?limit=0')));
  await getJsonObject(url('/kpis'));
  const lastSeqAfter = lastSeqOf(await getJsonObject(url('/audit?limit=0')));

  const after = Math.max(0, lastSeqAfter - AUDIT_WINDOW);
  const read = await getJsonObject(url(`/audit?after=${after}&limit=${AUDIT_WINDOW}`));
  const events = Array.isArray(read.events) ? (read.events as Array<{ seq?: unknown }>) : [];
  const seqs = events.map((e) => e.seq).filter((s): s is number => typeof s === 'number');
  const gaps = findGaps(after, seqs);
  const metrics = { lastSeqBefore, lastSeqAfter, eventCount: seqs.length, checkedFrom: after + 1, gaps };

  const problems: string[] = [];
  if (lastSeqAfter <= lastSeqBefore) problems.push(`lastSeq did not grow after an audited request (${lastSeqBefore} → ${lastSeqAfter})`);
  if (seqs.length !== events.length) problems.push(`${events.length - seqs.length} events without a numeric seq`);
  const described = gaps.slice(0, 3).map((g) => `${g.after} → ${g.next}`);
  if (gaps.length) problems.push(`${gaps.length} gap(s) in sequence numbers (${described.join(', ')}${gaps.length > 3 ? ', …' : ''})`);
  if (problems.length) return { status: 'FAIL', metrics, message: problems.join('; ') };
  return { status: 'PASS', metrics, message: `lastSeq ${lastSeqBefore} → ${lastSeqAfter}; ${seqs.length} recent events consecutive` };
});
