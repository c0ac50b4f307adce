import { createHash, type Hash } from 'node:crypto';
import type { LoanColumns } from './loan-columns';
import { isoDateToDay, PRODUCTS, REGIONS, SEGMENTS, STATUSES, UNKNOWN_CODE, type LoanRow } from './loan-schema';

/**
 * sha256 over a fixed 60-byte little-endian record per row, in row order. Hashing a binary record
 * rather than CSV text means V1 (parsed rows) and V2 (typed arrays) can both reproduce the
 * generator's checksum without formatting numbers, so it only changes when the data does.
 */
export const RECORD_BYTES = 60;
const BATCH = 4096;
const NULL_INT = -2147483648;

function codeOf(names: readonly string[], v: string | null): number {
  const i = v === null ? -1 : names.indexOf(v);
  return i < 0 ? UNKNOWN_CODE : i;
}

export class CanonicalHasher {
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.alloc(RECORD_BYTES * BATCH);
  private readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private filled = 0;

  addColumns(c: LoanColumns): void {
    for (let i = 0; i < c.rows; i++) {
      this.put(
        c.loanId[i],
        c.segment[i],
        c.region[i],
        c.product[i],
        c.status[i],
        c.principal[i],
        c.outstanding[i],
        c.apr[i],
        c.originationDay[i],
        c.termMonths[i],
        c.daysPastDue[i],
        c.amountDue[i],
        c.amountCollected[i],
      );
    }
  }

  addRow(r: LoanRow): void {
    const day = r.originationDate === null ? NaN : isoDateToDay(r.originationDate);
    this.put(
      r.loanId ?? NULL_INT,
      codeOf(SEGMENTS, r.segment),
      codeOf(REGIONS, r.region),
      codeOf(PRODUCTS, r.product),
      codeOf(STATUSES, r.status),
      r.principal ?? NaN,
      r.outstanding ?? NaN,
      r.apr ?? NaN,
      Number.isNaN(day) ? NULL_INT : day,
      r.termMonths ?? NULL_INT,
      r.daysPastDue ?? NULL_INT,
      r.amountDue ?? NaN,
      r.amountCollected ?? NaN,
    );
  }

  digest(): string {
    this.flush();
    return 'sha256:' + this.hash.digest('hex');
  }

  private put(
    id: number,
    seg: number,
    reg: number,
    prod: number,
    st: number,
    principal: number,
    outstanding: number,
    apr: number,
    day: number,
    term: number,
    dpd: number,
    due: number,
    collected: number,
  ): void {
    const v = this.view;
    const o = this.filled * RECORD_BYTES;
    v.setInt32(o, id, true);
    v.setUint8(o + 4, seg);
    v.setUint8(o + 5, reg);
    v.setUint8(o + 6, prod);
    v.setUint8(o + 7, st);
    v.setFloat64(o + 8, principal, true);
    v.setFloat64(o + 16, outstanding, true);
    v.setFloat64(o + 24, apr, true);
    v.setInt32(o + 32, day, true);
    v.setInt32(o + 36, term, true);
    v.setInt32(o + 40, dpd, true);
    v.setFloat64(o + 44, due, true);
    v.setFloat64(o + 52, collected, true);
    if (++this.filled === BATCH) this.flush();
  }

  private flush(): void {
    if (this.filled > 0) this.hash.update(this.buf.subarray(0, this.filled * RECORD_BYTES));
    this.filled = 0;
  }
}
