import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

/**
 * manifest.json: what was generated, so a service (or a cutover's data_integrity check) can tell
 * whether the data it loaded is the data that was produced. `checksum` is the canonical-row sha256
 * (see canonical-checksum.ts), independent of file format.
 */
export const MANIFEST_FILE = 'manifest.json';
export const BINARY_FILE = 'loans.col';
export const CSV_FILE = 'loans.csv';

export const ManifestSchema = z.object({
  format: z.literal('cutover-demo-loans/1'),
  rows: z.number().int().nonnegative(),
  seed: z.number().int(),
  asOfDate: z.string(),
  checksum: z.string(),
  files: z.object({
    binary: z.object({ name: z.string(), bytes: z.number() }),
    csv: z.object({ name: z.string(), bytes: z.number() }).nullable(),
  }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  return ManifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export function writeManifest(dir: string, manifest: Manifest): void {
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}
