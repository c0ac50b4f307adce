/**
 * The bounded record of signals a workflow could not take as sent. Pure: handlers call it and
 * never throw, so one bad payload can never stall a workflow or hide its status.
 */
import type { MessageLog, RejectedMessage } from './cutover-model';

/** Entries kept in the view; `count` says how many there were in all. */
export const MESSAGES_KEPT = 20;
const EXCERPT_CHARS = 200;

export const emptyLog = (): MessageLog => ({ count: 0, last: [] });

/** The start of a payload as JSON, never more than a couple of hundred characters. */
export function excerpt(raw: unknown): string {
  if (raw === undefined) return '(no payload)';
  let text: string;
  try {
    text =
      typeof raw === 'string' ? JSON.stringify(raw.slice(0, EXCERPT_CHARS + 1)) : (JSON.stringify(raw) ?? String(raw));
  } catch {
    text = String(raw);
  }
  return text.length > EXCERPT_CHARS
    ? `${text.slice(0, EXCERPT_CHARS)}… (` + `${typeof raw === 'string' ? raw.length : text.length} chars)`
    : text;
}

/** Appends in place (the view holds the same object) and drops the oldest beyond MESSAGES_KEPT. */
export function noteMessage(
  log: MessageLog,
  entry: Omit<RejectedMessage, 'excerpt'> & { raw: unknown },
): RejectedMessage {
  const { raw, ...rest } = entry;
  const note: RejectedMessage = { ...rest, excerpt: excerpt(raw) };
  log.count += 1;
  log.last.push(note);
  if (log.last.length > MESSAGES_KEPT) log.last.splice(0, log.last.length - MESSAGES_KEPT);
  return note;
}

/** Keeps a bounded list bounded (rejected signal votes) without replacing the array others hold. */
export function keepLast<T>(list: T[], max = MESSAGES_KEPT): void {
  if (list.length > max) list.splice(0, list.length - max);
}

export function renderMessageLog(log: MessageLog | undefined): string[] {
  if (!log?.count) return [];
  return [
    '',
    `**Messages not taken as sent** (${log.count}` +
      (log.count > log.last.length ? `, last ${log.last.length} shown` : '') +
      `)`,
    ...log.last.map(
      (m) =>
        `- ${m.at} \`${m.name}\` ` +
        `${m.honoured ? 'honoured with defaults' : 'rejected'}: ` +
        `${m.reason.replace(/\|/g, '/').slice(0, 300)} — sent ${m.excerpt.replace(/`/g, "'")}`,
    ),
  ];
}
