import { parseArgs } from 'node:util';
import { writeDataset, type CsvMode } from './pipeline/dataset-writer';

/**
 * npx tsx demo/generate.ts --rows 100000 --seed 42 --out DIR [--csv auto|always|never]
 * Prints the manifest as JSON on stdout.
 */
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string' },
    csv: { type: 'string', default: 'auto' },
  },
});

function fail(msg: string): never {
  process.stderr.write(
    `generate: ${msg}\nusage: tsx demo/generate.ts --rows N --seed ` + `S --out DIR [--csv auto|always|never]\n`,
  );
  process.exit(2);
}

const rows = Number(values.rows);
const seed = Number(values.seed);
if (!values.out) fail('--out DIR is required');
if (!Number.isInteger(rows) || rows < 0) fail(`--rows must be a non-negative integer, got ${values.rows}`);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
if (!['auto', 'always', 'never'].includes(values.csv ?? '')) fail(`--csv must be auto, always or never`);

const started = Date.now();
const manifest = writeDataset(values.out, { rows, seed, csv: values.csv as CsvMode });
process.stdout.write(
  JSON.stringify({ ...manifest, dir: values.out, seconds: (Date.now() - started) / 1000 }, null, 2) + '\n',
);
