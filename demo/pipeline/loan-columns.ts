/**
 * The in-memory columnar portfolio V2 computes over: one typed array per field, all the same
 * length. The same list drives the binary file layout, so adding a column is one edit here.
 */
export type ColumnType = 'f64' | 'i32' | 'u8';

export const COLUMN_SPECS = [
  { name: 'loanId', type: 'i32' },
  { name: 'segment', type: 'u8' },
  { name: 'region', type: 'u8' },
  { name: 'product', type: 'u8' },
  { name: 'status', type: 'u8' },
  { name: 'principal', type: 'f64' },
  { name: 'outstanding', type: 'f64' },
  { name: 'apr', type: 'f64' },
  { name: 'originationDay', type: 'i32' },
  { name: 'termMonths', type: 'i32' },
  { name: 'daysPastDue', type: 'i32' },
  { name: 'amountDue', type: 'f64' },
  { name: 'amountCollected', type: 'f64' },
] as const satisfies readonly { name: string; type: ColumnType }[];

export type ColumnName = (typeof COLUMN_SPECS)[number]['name'];

export interface LoanColumns {
  rows: number;
  loanId: Int32Array;
  segment: Uint8Array;
  region: Uint8Array;
  product: Uint8Array;
  status: Uint8Array;
  principal: Float64Array;
  outstanding: Float64Array;
  apr: Float64Array;
  originationDay: Int32Array;
  termMonths: Int32Array;
  daysPastDue: Int32Array;
  amountDue: Float64Array;
  amountCollected: Float64Array;
}

export type TypedColumn = Float64Array | Int32Array | Uint8Array;

export const BYTES_PER: Record<ColumnType, number> = { f64: 8, i32: 4, u8: 1 };

export function allocColumn(type: ColumnType, n: number): TypedColumn {
  if (type === 'f64') return new Float64Array(n);
  if (type === 'i32') return new Int32Array(n);
  return new Uint8Array(n);
}

export function allocColumns(rows: number): LoanColumns {
  const cols: Record<string, unknown> = { rows };
  for (const spec of COLUMN_SPECS) cols[spec.name] = allocColumn(spec.type, rows);
  return cols as unknown as LoanColumns;
}

/** Views (no copy) of rows [start, end). */
export function sliceColumns(cols: LoanColumns, start: number, end: number): LoanColumns {
  const out: Record<string, unknown> = { rows: end - start };
  for (const spec of COLUMN_SPECS) out[spec.name] = cols[spec.name].subarray(start, end);
  return out as unknown as LoanColumns;
}

/** A new portfolio made of the given source rows, in that order (used by row-loss/duplication faults). */
export function selectColumns(cols: LoanColumns, indices: Int32Array): LoanColumns {
  const out = allocColumns(indices.length);
  for (const spec of COLUMN_SPECS) {
    const src = cols[spec.name];
    const dst = out[spec.name];
    for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]];
  }
  return out;
}
