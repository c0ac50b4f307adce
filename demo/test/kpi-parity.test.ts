import * as path from 'node:path';
import { readColumnar } from '../pipeline/columnar-format';
import { readCsvRows } from '../pipeline/csv-format';
import { writeDataset } from '../pipeline/dataset-writer';
import { computeKpisV1 } from '../pipeline/kpi-v1';
import { computeKpisV2 } from '../pipeline/kpi-v2';
import { kpiDifferences } from '../pipeline/kpi-types';
import { GROUP_DIMENSIONS } from '../pipeline/loan-schema';
import { tempDir } from './support';

/** V1 reads the CSV, V2 the binary file, as the services do; they must agree within 0.01 %. */
const TOLERANCE = 1e-4;
const cases: [number, number][] = [];
for (const rows of [0, 1, 2, 999, 20_000, 50_000]) for (const seed of [1, 42, 2024]) cases.push([rows, seed]);

describe('V1 and V2 agree', () => {
  it.each(cases)('on every KPI, overall and per group, for %i rows with seed %i', (rows, seed) => {
    const dir = tempDir(`parity-${rows}-${seed}`);
    writeDataset(dir, { rows, seed, csv: 'always' });
    const v1Rows = readCsvRows(path.join(dir, 'loans.csv'));
    const v2Cols = readColumnar(path.join(dir, 'loans.col'));
    expect(v1Rows.length).toBe(rows);

    const a = computeKpisV1(v1Rows);
    const b = computeKpisV2(v2Cols);
    expect(kpiDifferences(a.kpis, b.kpis, TOLERANCE)).toEqual([]);
    expect(a.kpis.loanCount).toBe(rows);

    for (const by of GROUP_DIMENSIONS) {
      const ga = computeKpisV1(v1Rows, by);
      const gb = computeKpisV2(v2Cols, by);
      expect(Object.keys(gb.groups ?? {}).sort()).toEqual(Object.keys(ga.groups ?? {}).sort());
      expect(kpiDifferences(ga.kpis, a.kpis, TOLERANCE)).toEqual([]);
      for (const name of Object.keys(ga.groups ?? {})) {
        expect({ by, name, diff: kpiDifferences(ga.groups![name], gb.groups![name], TOLERANCE) }).toEqual({
          by,
          name,
          diff: [],
        });
      }
    }
  });
});
