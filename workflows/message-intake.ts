/**
 * Signal intake shared by the workflows: read a payload through the pure readers, note what
 * could not be used in the bounded message log, and never throw (a throwing handler fails the
 * workflow task for ever: no status, no later signal, no timer).
 */
import { log } from '@temporalio/workflow';
import type { MessageLog } from '../domain/cutover-model';
import { noteMessage } from '../domain/message-log';
import { readResume, readStopRequest, type StopRequest } from '../domain/message-readers';
import type { PhaseId } from '../domain/cutover-model';

export class MessageIntake {
  constructor(
    readonly log: MessageLog,
    /** refreshes what people see (UI details); must not emit commands: it runs inside handlers */
    private readonly changed: () => void = () => undefined,
  ) {}

  note(name: string, raw: unknown, reason: string, honoured: boolean) {
    try {
      noteMessage(this.log, { name, at: new Date().toISOString(), reason, honoured, raw });
      log.warn(`signal ${name} ${honoured ? 'honoured with defaults' : 'rejected'}: ${reason.slice(0, 300)}`);
      this.changed();
    } catch (err) {
      log.error(`could not record the ${name} signal: ${String(err)}`);
    }
  }

  /** Always a stop request: the caller honours it whatever the payload was. */
  stop(name: 'abort' | 'rollback', raw: unknown): StopRequest {
    const request = readStopRequest(raw);
    if (request.notes.length) this.note(name, raw, request.notes.join('; '), true);
    return request;
  }

  /** The phase to resume (undefined = every held phase), or false when the payload was refused. */
  resume(raw: unknown): { phase?: PhaseId } | false {
    const request = readResume(raw);
    if (!request.ok) {
      this.note('resume', raw, request.reason, false);
      return false;
    }
    if (request.notes.length) this.note('resume', raw, request.notes.join('; '), true);
    return { phase: request.phase };
  }
}

/** The reason text a stop request leaves in the status, as it always read. */
export const stopText = (kind: 'abort' | 'rollback', r: StopRequest) =>
  `${kind === 'abort' ? 'aborted' : 'rollback requested'} by ${r.by}${r.reason ? `: ${r.reason}` : ''}`;
