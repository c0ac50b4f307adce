import * as fs from 'node:fs';
import * as path from 'node:path';
import { CanonicalHasher } from '../pipeline/canonical-checksum';
import { readColumnar, writeColumnar } from '../pipeline/columnar-format';
import { readCsvRows } from '../pipeline/csv-format';
import { writeDataset } from '../pipeline/dataset-writer';
import { COLUMN_SPECS } from '../pipeline/loan-columns';
import { readManifest } from '../pipeline/manifest';
import { generatePortfolio } from '../pipeline/portfolio-generator';
import { tempDir } from './support';

describe('storage formats and manifest', () => {
  const dir = tempDir('formats');
  const manifest = writeDataset(dir, { rows: 3_001, seed: 42, csv: 'always' });

  it('writes a binary file whose columns read back equal to the generated ones', () => {
    const generated = generatePortfolio(3_001, 42);
    const read = readColumnar(path.join(dir, 'loans.col'));
    expect(read.rows).toBe(3_001);
    for (const spec of COLUMN_SPECS) expect(Array.from(read[spec.name])).toEqual(Array.from(generated[spec.name]));
  });

  it('maps binary columns as views on one file buffer without copying', () => {
    const read = readColumnar(path.join(dir, 'loans.col'));
    expect(read.outstanding.buffer).toBe(read.status.buffer);
    expect(read.outstanding.byteOffset % 8).toBe(0);
  });

  it('writes CSV that parses back to exactly the same canonical rows as the binary file', () => {
    const h = new CanonicalHasher();
    for (const row of readCsvRows(path.join(dir, 'loans.csv'))) h.addRow(row);
    expect(h.digest()).toBe(manifest.checksum);
  });

  it('records rows, seed and checksum in manifest.json', () => {
    const m = readManifest(dir);
    expect(m).toMatchObject({ rows: 3_001, seed: 42, format: 'cutover-demo-loans/1' });
    expect(m.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const h = new CanonicalHasher();
    h.addColumns(readColumnar(path.join(dir, 'loans.col')));
    expect(h.digest()).toBe(m.checksum);
  });

  it('skips the CSV when asked and removes a stale one', () => {
    const d = tempDir('nocsv');
    writeDataset(d, { rows: 10, seed: 1, csv: 'always' });
    const m = writeDataset(d, { rows: 10, seed: 1, csv: 'never' });
    expect(m.files.csv).toBeNull();
    expect(fs.existsSync(path.join(d, 'loans.csv'))).toBe(false);
  });

  it('round-trips empty and single-row portfolios', () => {
    for (const rows of [0, 1]) {
      const file = path.join(tempDir(`rt${rows}`), 'x.col');
      writeColumnar(file, generatePortfolio(rows, 5));
      expect(readColumnar(file).rows).toBe(rows);
    }
  });

  it('refuses a truncated binary file instead of reading garbage', () => {
    const file = path.join(tempDir('trunc'), 'loans.col');
    fs.writeFileSync(file, fs.readFileSync(path.join(dir, 'loans.col')).subarray(0, 10_000));
    expect(() => readColumnar(file)).toThrow(/truncated/);
  });

  it('refuses a file that is not in the columnar format', () => {
    const file = path.join(tempDir('magic'), 'loans.col');
    fs.writeFileSync(file, 'loan_id,segment\n');
    expect(() => readColumnar(file)).toThrow(/not a LOANCOL1 file/);
  });
});
