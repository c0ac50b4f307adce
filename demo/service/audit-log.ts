/**
 * Append-only audit trail kept in memory for the life of the process. Sequence numbers are
 * consecutive from 1 unless the auditGap fault skips some, which is exactly what an audit_trail
 * check must be able to detect.
 */
export type AuditType = 'load' | 'compute' | 'request';
export interface AuditEvent {
  seq: number;
  ts: string;
  type: AuditType;
  [field: string]: unknown;
}

export class AuditLog {
  private readonly events: AuditEvent[] = [];
  private seq = 0;
  private pendingGap = 0;

  append(type: AuditType, fields: Record<string, unknown> = {}): AuditEvent {
    this.seq += 1 + this.pendingGap;
    this.pendingGap = 0;
    const event: AuditEvent = { ...fields, seq: this.seq, ts: new Date().toISOString(), type };
    this.events.push(event);
    return event;
  }

  /** The next appended event skips `n` sequence numbers. */
  skipNext(n: number): void {
    this.pendingGap += n;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Events with seq > after, oldest first, at most `limit`. */
  after(after: number, limit: number): AuditEvent[] {
    // seq grows with index, so binary search for the first event past `after`.
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo, lo + limit);
  }
}
