import * as path from 'node:path';
import { CanonicalHasher } from '../pipeline/canonical-checksum';
import { readColumnar } from '../pipeline/columnar-format';
import { readCsvRows } from '../pipeline/csv-format';
import { computeKpisV1 } from '../pipeline/kpi-v1';
import { computeKpisV2 } from '../pipeline/kpi-v2';
import type { KpiResult } from '../pipeline/kpi-types';
import { selectColumns, type LoanColumns } from '../pipeline/loan-columns';
import { BINARY_FILE, CSV_FILE, type Manifest } from '../pipeline/manifest';
import { GROUP_NAMES, STATUSES, type GroupDimension, type LoanRow } from '../pipeline/loan-schema';
import { selectRowIndices, type RowFaults } from '../pipeline/row-faults';
import { buildReport, KeyTally, type IntegrityReport } from './integrity';

export type PipelineVersion = 'v1' | 'v2';

/** The portfolio as one version of the pipeline holds it, behind the same three operations. */
export interface LoadedDataset {
  readonly rows: number;
  readonly source: string;
  computeKpis(by?: GroupDimension): KpiResult;
  integrity(manifest: Manifest): IntegrityReport;
}

/** V1 reads the CSV into row objects; V2 maps the binary columns. Row faults apply to both alike. */
export function loadDataset(version: PipelineVersion, dir: string, faults: RowFaults): LoadedDataset {
  return version === 'v1' ? loadV1(path.join(dir, CSV_FILE), faults) : loadV2(path.join(dir, BINARY_FILE), faults);
}

function loadV1(source: string, faults: RowFaults): LoadedDataset {
  const parsed = readCsvRows(source);
  const pick = selectRowIndices(parsed.length, faults);
  const rows: LoanRow[] = pick ? Array.from(pick, (i) => parsed[i]) : parsed;
  let cached: IntegrityReport | undefined;
  return {
    rows: rows.length,
    source,
    computeKpis: (by) => computeKpisV1(rows, by),
    integrity(manifest) {
      if (cached) return cached;
      const hasher = new CanonicalHasher();
      const keys = new KeyTally(manifest.rows);
      let nulls = 0;
      for (const row of rows) {
        hasher.addRow(row);
        keys.add(row.loanId);
        for (const v of Object.values(row)) if (v === null) nulls++;
      }
      return (cached = buildReport(manifest, rows.length, hasher.digest(), keys, nulls));
    },
  };
}

function loadV2(source: string, faults: RowFaults): LoadedDataset {
  const mapped = readColumnar(source);
  const pick = selectRowIndices(mapped.rows, faults);
  const cols = pick ? selectColumns(mapped, pick) : mapped;
  let cached: IntegrityReport | undefined;
  return {
    rows: cols.rows,
    source,
    computeKpis: (by) => computeKpisV2(cols, by),
    integrity(manifest) {
      if (cached) return cached;
      const hasher = new CanonicalHasher();
      hasher.addColumns(cols);
      const keys = new KeyTally(manifest.rows);
      for (let i = 0; i < cols.rows; i++) keys.add(cols.loanId[i]);
      return (cached = buildReport(manifest, cols.rows, hasher.digest(), keys, countNullsV2(cols)));
    },
  };
}

/** The binary format has no null: NaN numbers and out-of-vocabulary codes are what count. */
function countNullsV2(c: LoanColumns): number {
  let nulls = 0;
  const floats = [c.principal, c.outstanding, c.apr, c.amountDue, c.amountCollected];
  for (const col of floats) for (let i = 0; i < c.rows; i++) if (col[i] !== col[i]) nulls++;
  const codes: [Uint8Array, number][] = [
    [c.segment, GROUP_NAMES.segment.length],
    [c.region, GROUP_NAMES.region.length],
    [c.product, GROUP_NAMES.product.length],
    [c.status, STATUSES.length],
  ];
  for (const [col, size] of codes) for (let i = 0; i < c.rows; i++) if (col[i] >= size) nulls++;
  return nulls;
}
