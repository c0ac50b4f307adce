import * as fs from 'node:fs';
import { BYTES_PER, COLUMN_SPECS, type ColumnType, type LoanColumns, type TypedColumn } from './loan-columns';

/**
 * Binary columnar file: 8-byte magic, u32 LE JSON header length, JSON header, zero padding to
 * DATA_START, then each column as one contiguous little-endian array at a 64-byte aligned offset.
 * Readers map columns as typed-array views on the file buffer: no per-row parsing, no copy.
 * fs.readFileSync caps a file at 2 GiB, i.e. about 35M rows at 60 bytes a row.
 */
export const MAGIC = 'LOANCOL1';
const DATA_START = 4096;
const ALIGN = 64;

interface ColumnEntry {
  name: string;
  type: ColumnType;
  offset: number;
  byteLength: number;
}
export interface ColumnarHeader {
  format: 'loancol/1';
  rows: number;
  littleEndian: true;
  columns: ColumnEntry[];
}

export function columnarLayout(rows: number): ColumnarHeader {
  let offset = DATA_START;
  const columns: ColumnEntry[] = COLUMN_SPECS.map((spec) => {
    const byteLength = rows * BYTES_PER[spec.type];
    const entry = { name: spec.name, type: spec.type, offset, byteLength };
    offset += Math.ceil(byteLength / ALIGN) * ALIGN;
    return entry;
  });
  return { format: 'loancol/1', rows, littleEndian: true, columns };
}

/** Writes chunks at their final positions so a 10M-row file never has to be held in memory. */
export class ColumnarWriter {
  private readonly fd: number;
  private readonly header: ColumnarHeader;

  constructor(path: string, rows: number) {
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian hosts are not supported');
    this.header = columnarLayout(rows);
    this.fd = fs.openSync(path, 'w');
    const json = Buffer.from(JSON.stringify(this.header), 'utf8');
    if (12 + json.length > DATA_START) throw new Error('columnar header too large');
    const head = Buffer.alloc(DATA_START);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    json.copy(head, 12);
    fs.writeSync(this.fd, head, 0, head.length, 0);
  }

  writeChunk(chunk: LoanColumns, firstRow: number): void {
    for (const col of this.header.columns) {
      const arr = chunk[col.name as keyof LoanColumns] as TypedColumn;
      const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
      fs.writeSync(this.fd, bytes, 0, bytes.length, col.offset + firstRow * BYTES_PER[col.type]);
    }
  }

  close(): void {
    const last = this.header.columns[this.header.columns.length - 1];
    fs.ftruncateSync(this.fd, Math.max(DATA_START, last.offset + last.byteLength));
    fs.closeSync(this.fd);
  }
}

export function writeColumnar(path: string, cols: LoanColumns): void {
  const w = new ColumnarWriter(path, cols.rows);
  w.writeChunk(cols, 0);
  w.close();
}

export function readColumnar(path: string): LoanColumns {
  const buf = fs.readFileSync(path);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path}: not a ${MAGIC} file`);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + buf.readUInt32LE(8))) as ColumnarHeader;
  const out: Record<string, unknown> = { rows: header.rows };
  for (const spec of COLUMN_SPECS) {
    const col = header.columns.find((c) => c.name === spec.name);
    if (!col || col.type !== spec.type) throw new Error(`${path}: column ${spec.name} missing or mistyped`);
    if (col.offset + col.byteLength > buf.length) throw new Error(`${path}: truncated at column ${spec.name}`);
    out[spec.name] = viewOf(buf, col.offset, header.rows, spec.type);
  }
  return out as unknown as LoanColumns;
}

function viewOf(buf: Buffer, offset: number, rows: number, type: ColumnType): TypedColumn {
  const start = buf.byteOffset + offset;
  // Small files can land in Node's shared pool at an odd offset; copy only then.
  const ab = start % 8 === 0 ? buf.buffer : buf.buffer.slice(start, start + rows * BYTES_PER[type]);
  const at = start % 8 === 0 ? start : 0;
  if (type === 'f64') return new Float64Array(ab, at, rows);
  if (type === 'i32') return new Int32Array(ab, at, rows);
  return new Uint8Array(ab, at, rows);
}
