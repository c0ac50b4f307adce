/**
 * What arrives as a vote before any approval rule applies: a signal from the Temporal UI's form or
 * the `temporal` CLI can carry anything, so it is read field by field and what was wrong is said.
 */
import type { RejectedApproval } from './cutover-model';
import { isUndecodable, undecodableText } from './undecodable';

export const VOTE_EXAMPLE = '{"role": "engineering", "approver": "alice", "decision": "GO"}';

/** Why `raw` cannot be read as a vote at all (the UI's empty form, an undecodable payload), or undefined. */
export function votePayloadProblem(raw: unknown): string | undefined {
  if (isUndecodable(raw)) return `approval: ${undecodableText(raw)}: send ${VOTE_EXAMPLE} as JSON`;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return undefined;
  const got =
    raw === undefined
      ? 'no payload'
      : `got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`}`;
  return `approval: ${got}: send ${VOTE_EXAMPLE}`;
}

/** A field of a rejected vote as shown in status: a string, cut short, or what it was instead. */
const shown = (value: unknown, fallback: string) =>
  typeof value === 'string'
    ? value.length > 100
      ? `${value.slice(0, 100)}…`
      : value
    : value === undefined
      ? fallback
      : `(${typeof value})`;

/** A vote signal as it can be listed, whatever arrived: the reason says what was wrong with it. */
export function rejectedVote(raw: unknown, reason: string, at: string): RejectedApproval {
  const o = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const decision = o.decision === 'GO' || o.decision === 'NO_GO' ? o.decision : 'NO_GO';
  return {
    role: shown(o.role, '(missing)'),
    approver: shown(o.approver, '(missing)'),
    decision,
    at,
    reason: reason.slice(0, 500),
  };
}
