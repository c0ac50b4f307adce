import type { Manifest } from '../pipeline/manifest';

/**
 * What /integrity reports: the data actually loaded (after any row faults) against the manifest
 * written at generation time. Keys are loan ids, expected to be exactly 1..expectedRows.
 */
export interface IntegrityReport {
  rows: number;
  expectedRows: number;
  checksum: string;
  expectedChecksum: string;
  checksumMatches: boolean;
  duplicateKeys: number;
  missingKeys: number;
  nullFields: number;
  ok: boolean;
}

/** Counts duplicate and missing loan ids in one pass with a bitmap over the expected range. */
export class KeyTally {
  private readonly seen: Uint8Array;
  private readonly outside = new Set<number>();
  private distinctInRange = 0;
  duplicates = 0;

  constructor(private readonly expectedRows: number) {
    this.seen = new Uint8Array(expectedRows + 1);
  }

  add(key: number | null): void {
    if (key === null) return; // counted as a null field instead
    if (key >= 1 && key <= this.expectedRows) {
      if (this.seen[key]) this.duplicates++;
      else {
        this.seen[key] = 1;
        this.distinctInRange++;
      }
    } else if (this.outside.has(key)) this.duplicates++;
    else this.outside.add(key);
  }

  get missing(): number {
    return this.expectedRows - this.distinctInRange;
  }
}

export function buildReport(
  manifest: Manifest,
  rows: number,
  checksum: string,
  keys: KeyTally,
  nullFields: number,
): IntegrityReport {
  const checksumMatches = checksum === manifest.checksum;
  return {
    rows,
    expectedRows: manifest.rows,
    checksum,
    expectedChecksum: manifest.checksum,
    checksumMatches,
    duplicateKeys: keys.duplicates,
    missingKeys: keys.missing,
    nullFields,
    ok: checksumMatches && rows === manifest.rows && keys.duplicates === 0 && keys.missing === 0 && nullFields === 0,
  };
}
