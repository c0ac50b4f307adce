import { selectRowIndices } from '../pipeline/row-faults';
import { KeyTally } from '../service/integrity';
import { AuditLog } from '../service/audit-log';

describe('row faults', () => {
  it('changes nothing when no row fault is set', () => {
    expect(selectRowIndices(100, {})).toBeNull();
    expect(selectRowIndices(100, { lostRows: 0, duplicatedRows: 0 })).toBeNull();
  });

  it('drops exactly floor(n x fraction) rows, evenly spaced', () => {
    const kept = selectRowIndices(1_000, { lostRows: 0.01 })!;
    expect(kept.length).toBe(990);
    expect(new Set(kept).size).toBe(990);
  });

  it('duplicates exactly floor(n x fraction) rows right after their original', () => {
    const out = selectRowIndices(1_000, { duplicatedRows: 0.02 })!;
    expect(out.length).toBe(1_020);
    expect(new Set(out).size).toBe(1_000);
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]);
  });

  it('drops every row when the lost fraction is 1', () => {
    expect(selectRowIndices(50, { lostRows: 1 })!.length).toBe(0);
  });
});

describe('integrity key tally', () => {
  it('counts duplicate and missing loan ids against the expected range', () => {
    const t = new KeyTally(5);
    for (const k of [1, 2, 2, 4, 99, 99, null]) t.add(k);
    expect(t.duplicates).toBe(2);
    expect(t.missing).toBe(2); // 3 and 5
  });
});

describe('audit log', () => {
  it('numbers events consecutively from 1 and pages by sequence', () => {
    const log = new AuditLog();
    for (let i = 0; i < 5; i++) log.append('request', { i });
    expect(log.after(0, 100).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(log.after(3, 100).map((e) => e.seq)).toEqual([4, 5]);
    expect(log.after(1, 2).map((e) => e.seq)).toEqual([2, 3]);
    expect(log.lastSeq).toBe(5);
  });

  it('leaves a hole in the sequence when a gap is injected', () => {
    const log = new AuditLog();
    log.append('load');
    log.skipNext(3);
    log.append('compute');
    expect(log.after(0, 10).map((e) => e.seq)).toEqual([1, 5]);
  });
});
