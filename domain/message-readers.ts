/**
 * How the workflows read a signal payload that may be anything (the UI's empty form sends none,
 * the `temporal` CLI sends whatever JSON it is given). Pure and total: never throws.
 *
 * The rule for stop requests (abort, rollback): they are ALWAYS honoured. An operator pressing
 * "rollback" in the UI with an empty form means "roll back"; refusing that because a field is
 * missing or mistyped would leave a bad V2 serving. What could not be used is noted instead.
 */
import { PHASE_IDS, type PhaseId } from './cutover-model';
import { MAX_NAME, MAX_TEXT, resumePayloadSchema, stopPayloadSchema } from './message-schemas';
import { isUndecodable, undecodableText } from './undecodable';

const isObject = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);
const kindOf = (raw: unknown) => (raw === null ? 'null' : Array.isArray(raw) ? 'an array' : `a ${typeof raw}`);

export interface StopRequest {
  reason?: string;
  by: string;
  /** what was wrong with the payload; empty when it was fine (or simply absent) */
  notes: string[];
}

/** A string field: kept if it is a string (cut to `max`), otherwise dropped with a note. */
function textField(raw: Record<string, unknown>, key: string, max: number, notes: string[]): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    notes.push(`${key}: expected a string, got ${kindOf(value)}: ignored`);
    return undefined;
  }
  if (value.length > max) {
    notes.push(`${key}: ${value.length} characters, cut to ${max}`);
    return `${value.slice(0, max)}…`;
  }
  return value.trim() || undefined;
}

function unknownFields(raw: Record<string, unknown>, known: string[], notes: string[]) {
  const extra = Object.keys(raw).filter((k) => !known.includes(k));
  if (extra.length)
    notes.push(
      `unknown field(s) ` +
        `${extra
          .slice(0, 5)
          .map((k) => `"${k.slice(0, 40)}"`)
          .join(', ')}` +
        `${extra.length > 5 ? ` and ${extra.length - 5} more` : ''}: ` +
        `ignored (known: ${known.join(', ')})`,
    );
}

export function readStopRequest(raw: unknown): StopRequest {
  if (raw === undefined || raw === null) return { by: 'someone (no payload)', notes: [] };
  // Unreadable (unknown encoding, a key this worker lacks) is still a stop: its sender meant one.
  if (isUndecodable(raw))
    return { by: 'someone (undecodable payload)', notes: [`${undecodableText(raw)}: honoured anyway`] };
  if (!isObject(raw)) {
    // A bare string is most likely the reason itself: keep it, the request stands either way.
    const text = typeof raw === 'string' && raw.trim() ? raw : undefined;
    const reason = text && text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
    return {
      reason,
      by: 'someone (malformed payload)',
      notes: [`payload is ${kindOf(raw)}, not an object like {"reason": "…", ` + `"by": "…"}: honoured anyway`],
    };
  }
  if (stopPayloadSchema.safeParse(raw).success) {
    return {
      reason: typeof raw.reason === 'string' && raw.reason.trim() ? raw.reason : undefined,
      by: typeof raw.by === 'string' ? raw.by : 'someone',
      notes: [],
    };
  }
  const notes: string[] = [];
  unknownFields(raw, ['reason', 'by'], notes);
  const reason = textField(raw, 'reason', MAX_TEXT, notes);
  const by = textField(raw, 'by', MAX_NAME, notes) ?? 'someone';
  return { reason, by, notes };
}

export type ResumeRequest = { ok: true; phase?: PhaseId; notes: string[] } | { ok: false; reason: string };

/** A resume with a phase that does not exist is refused (it would resume nothing, silently). */
export function readResume(raw: unknown): ResumeRequest {
  if (raw === undefined || raw === null) return { ok: true, notes: [] };
  if (isUndecodable(raw))
    return { ok: false, reason: `${undecodableText(raw)}: send {} or {"phase": "phase3"} as JSON` };
  if (!isObject(raw)) return { ok: false, reason: `payload is ${kindOf(raw)}: send {} or {"phase": "phase3"}` };
  if (resumePayloadSchema.safeParse(raw).success)
    return { ok: true, phase: raw.phase as PhaseId | undefined, notes: [] };
  const { phase } = raw;
  if (
    phase !== undefined &&
    phase !== null &&
    !(typeof phase === 'string' && (PHASE_IDS as string[]).includes(phase))
  ) {
    return {
      ok: false,
      reason:
        `phase: ${typeof phase === 'string' ? `"${phase.slice(0, 40)}"` : kindOf(phase)} ` +
        `is not a phase: use one of ${PHASE_IDS.join(', ')}, or send {} ` +
        `to resume every held phase`,
    };
  }
  const notes: string[] = [];
  unknownFields(raw, ['phase', 'by'], notes);
  textField(raw, 'by', MAX_NAME, notes);
  return { ok: true, phase: (phase ?? undefined) as PhaseId | undefined, notes };
}
