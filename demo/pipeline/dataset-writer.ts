import * as fs from 'node:fs';
import * as path from 'node:path';
import { CanonicalHasher } from './canonical-checksum';
import { ColumnarWriter } from './columnar-format';
import { CsvWriter } from './csv-format';
import { BINARY_FILE, CSV_FILE, writeManifest, type Manifest } from './manifest';
import { AS_OF_DATE, generatePortfolioChunks } from './portfolio-generator';

export type CsvMode = 'always' | 'never' | 'auto';
/** Above this, `--csv auto` skips the CSV: ~100 bytes a row and ~1 s per million rows to write. */
export const CSV_AUTO_LIMIT = 2_000_000;

export interface GenerateOptions {
  rows: number;
  seed: number;
  csv?: CsvMode;
}

/**
 * Generates into `dir` in one streaming pass: binary columns written in place, CSV appended,
 * checksum updated, per chunk, so memory stays flat at any size.
 */
export function writeDataset(dir: string, opts: GenerateOptions): Manifest {
  const { rows, seed } = opts;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a non-negative integer, got ${rows}`);
  const mode = opts.csv ?? 'auto';
  const withCsv = mode === 'always' || (mode === 'auto' && rows <= CSV_AUTO_LIMIT);
  fs.mkdirSync(dir, { recursive: true });
  const binPath = path.join(dir, BINARY_FILE);
  const csvPath = path.join(dir, CSV_FILE);
  if (!withCsv) fs.rmSync(csvPath, { force: true }); // never leave a stale CSV beside new binary data

  const bin = new ColumnarWriter(binPath, rows);
  const csv = withCsv ? new CsvWriter(csvPath) : null;
  const hasher = new CanonicalHasher();
  generatePortfolioChunks(rows, seed, (chunk, firstRow) => {
    bin.writeChunk(chunk, firstRow);
    csv?.writeChunk(chunk);
    hasher.addColumns(chunk);
  });
  bin.close();
  csv?.close();

  const manifest: Manifest = {
    format: 'cutover-demo-loans/1',
    rows,
    seed,
    asOfDate: AS_OF_DATE,
    checksum: hasher.digest(),
    files: {
      binary: { name: BINARY_FILE, bytes: fs.statSync(binPath).size },
      csv: withCsv ? { name: CSV_FILE, bytes: fs.statSync(csvPath).size } : null,
    },
  };
  writeManifest(dir, manifest);
  return manifest;
}
