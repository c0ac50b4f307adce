/**
 * Which source rows survive a load under the lostRows / duplicatedRows faults. Evenly spaced and
 * exact (floor(n × fraction) rows each), not random, so tests can assert the precise damage and
 * V1 and V2 are damaged identically. Returns null when nothing changes (the common case).
 */
export interface RowFaults {
  lostRows?: number;
  duplicatedRows?: number;
}

export function selectRowIndices(n: number, faults: RowFaults): Int32Array | null {
  const lost = faults.lostRows ?? 0;
  const dup = faults.duplicatedRows ?? 0;
  if (lost <= 0 && dup <= 0) return null;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (Math.floor((i + 1) * lost) === Math.floor(i * lost)) kept.push(i);
  const out: number[] = [];
  for (let j = 0; j < kept.length; j++) {
    out.push(kept[j]);
    if (Math.floor((j + 1) * dup) > Math.floor(j * dup)) out.push(kept[j]); // copy right after the original
  }
  return Int32Array.from(out);
}
