import * as fs from 'node:fs';
import type { LoanColumns } from './loan-columns';
import { CSV_HEADER, dayToIsoDate, PRODUCTS, REGIONS, SEGMENTS, STATUSES, type LoanRow } from './loan-schema';

/**
 * Human-readable CSV, the format V1 reads. Numbers are written with String(x), the shortest text
 * that parses back to the same double, so V1 and V2 see identical values. Both directions stream
 * in chunks: a 10M-row file (~1 GB) is larger than the longest string V8 allows.
 */
const READ_CHUNK = 8 * 1024 * 1024;

const isoCache = new Map<number, string>();
function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) isoCache.set(day, (s = dayToIsoDate(day)));
  return s;
}

export class CsvWriter {
  private readonly fd: number;
  constructor(path: string) {
    this.fd = fs.openSync(path, 'w');
    fs.writeSync(this.fd, CSV_HEADER.join(',') + '\n');
  }

  writeChunk(c: LoanColumns): void {
    const lines: string[] = new Array(c.rows);
    for (let i = 0; i < c.rows; i++) {
      lines[i] =
        `${c.loanId[i]},${SEGMENTS[c.segment[i]]},${REGIONS[c.region[i]]},${PRODUCTS[c.product[i]]},` +
        `${c.principal[i]},${c.outstanding[i]},${c.apr[i]},${isoDay(c.originationDay[i])},${c.termMonths[i]},` +
        `${c.daysPastDue[i]},${STATUSES[c.status[i]]},${c.amountDue[i]},${c.amountCollected[i]}\n`;
    }
    fs.writeSync(this.fd, lines.join(''));
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export function writeCsv(path: string, cols: LoanColumns): void {
  const w = new CsvWriter(path);
  w.writeChunk(cols);
  w.close();
}

function num(cell: string | undefined): number | null {
  if (cell === undefined || cell === '') return null;
  const v = Number(cell);
  return Number.isFinite(v) ? v : null;
}
function int(cell: string | undefined): number | null {
  const v = num(cell);
  return v !== null && Number.isInteger(v) ? v : null;
}
function str(cell: string | undefined): string | null {
  return cell === undefined || cell === '' ? null : cell;
}

export function parseCsvLine(line: string): LoanRow {
  const f = line.split(',');
  return {
    loanId: int(f[0]),
    segment: str(f[1]),
    region: str(f[2]),
    product: str(f[3]),
    principal: num(f[4]),
    outstanding: num(f[5]),
    apr: num(f[6]),
    originationDate: str(f[7]),
    termMonths: int(f[8]),
    daysPastDue: int(f[9]),
    status: str(f[10]),
    amountDue: num(f[11]),
    amountCollected: num(f[12]),
  };
}

/** Calls onLine for every data line (header checked and skipped, blank lines ignored). */
export function forEachCsvLine(path: string, onLine: (line: string) => void): void {
  const fd = fs.openSync(path, 'r');
  const buf = Buffer.alloc(READ_CHUNK);
  let carry = '';
  let headerSeen = false;
  const handle = (line: string): void => {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!headerSeen) {
      headerSeen = true;
      if (line !== CSV_HEADER.join(',')) throw new Error(`${path}: unexpected CSV header`);
    } else if (line !== '') onLine(line);
  };
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, READ_CHUNK, null);
      if (n === 0) break;
      const text = carry + buf.toString('latin1', 0, n);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        handle(text.slice(start, nl));
        start = nl + 1;
      }
      carry = text.slice(start);
    }
    if (carry !== '') handle(carry);
  } finally {
    fs.closeSync(fd);
  }
  if (!headerSeen) throw new Error(`${path}: empty CSV (no header)`);
}

export function readCsvRows(path: string): LoanRow[] {
  const rows: LoanRow[] = [];
  forEachCsvLine(path, (line) => rows.push(parseCsvLine(line)));
  return rows;
}
