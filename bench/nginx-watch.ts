/**
 * For the benches: nginx's worker processes watched through /proc (every 2 ms), so each failed or
 * resent request can be placed against the reload it met: new workers started, old ones gone.
 */
import fs from 'node:fs';
import { masterPid, workersOf } from '../activities/traffic/nginx-reload';
import type { LoadEvent } from './load-generator';

export interface Mark {
  at: number;
  what: string;
}

export function watchNginxWorkers(config: string): { marks: Mark[]; stop: () => void } {
  const master = masterPid(fs.readFileSync(config, 'utf8'));
  const marks: Mark[] = [];
  if (!master) return { marks, stop: () => undefined };
  let seen = workersOf(master);
  const timer = setInterval(() => {
    const now = workersOf(master);
    const started = [...now].filter((p) => !seen.has(p));
    const gone = [...seen].filter((p) => !now.has(p));
    if (started.length) marks.push({ at: Date.now(), what: `new worker ${started.join(', ')} started` });
    if (gone.length) marks.push({ at: Date.now(), what: `old worker ${gone.join(', ')} gone` });
    seen = now;
  }, 2);
  return { marks, stop: () => clearInterval(timer) };
}

export const describeEvent = (e: LoadEvent) =>
  `${e.outcome}${e.resend ? ' (the resend)' : ''}: ` +
  `${e.code ?? ''} ${e.message}; ${e.reused ? 'reused' : 'new'} ` +
  `connection :${e.localPort ?? '?'}, ${e.answerBytes} answer ` +
  `bytes, sent ${e.at - e.sentAt} ms before`;

/** Each event with the worker change nearest to it ("+12 ms after new worker 123 started"). */
export function placeEvents(events: LoadEvent[], marks: Mark[]): string[] {
  return events.map((e) => {
    const near = marks.reduce<Mark | undefined>(
      (best, m) => (!best || Math.abs(m.at - e.at) < Math.abs(best.at - e.at) ? m : best),
      undefined,
    );
    const where = near
      ? `${e.at >= near.at ? '+' : '-'}${Math.abs(e.at - near.at)} ms ` +
        `${e.at >= near.at ? 'after' : 'before'} ${near.what}`
      : 'no reload seen';
    return `${describeEvent(e)} (${where})`;
  });
}
