import { emptySums, finalizeKpis, type KpiResult, type KpiSums } from './kpi-types';
import { GROUP_NAMES, type GroupDimension, type LoanRow } from './loan-schema';

/**
 * V1, the legacy engine: walks parsed row objects one at a time and keeps sums per group in a Map.
 * Deliberately plain; it is the reference V2 is checked against.
 */
export function computeKpisV1(rows: readonly LoanRow[], by?: GroupDimension): KpiResult {
  const total = emptySums();
  const groups = new Map<string, KpiSums>();
  if (by) for (const name of GROUP_NAMES[by]) groups.set(name, emptySums());

  for (const row of rows) {
    addRow(total, row);
    if (by) {
      const value = row[by];
      const key = value !== null && GROUP_NAMES[by].includes(value) ? value : 'unknown';
      let sums = groups.get(key);
      if (!sums) groups.set(key, (sums = emptySums()));
      addRow(sums, row);
    }
  }

  const result: KpiResult = { kpis: finalizeKpis(total) };
  if (by) {
    result.groups = {};
    for (const [name, sums] of groups) result.groups[name] = finalizeKpis(sums);
  }
  return result;
}

function addRow(s: KpiSums, row: LoanRow): void {
  const principal = row.principal ?? 0;
  const outstanding = row.outstanding ?? 0;
  const dpd = row.daysPastDue ?? 0;
  s.loanCount += 1;
  s.disbursed += principal;
  s.outstanding += outstanding;
  if (dpd > 30) s.par30 += outstanding;
  if (dpd > 60) s.par60 += outstanding;
  if (dpd > 90) s.par90 += outstanding;
  if (row.status === 'default') s.defaulted += outstanding;
  if (row.status === 'default' || dpd > 90) s.npl += outstanding;
  if (row.status === 'written_off') s.writtenOff += principal;
  s.due += row.amountDue ?? 0;
  s.collected += row.amountCollected ?? 0;
  s.aprWeighted += (row.apr ?? 0) * outstanding;
}
