/**
 * The environment variables the product reads, found in its source as a reader would grep for them:
 * `process.env.NAME`, `env.NAME`, `env?.NAME`, `env['NAME']` (assignments such as
 * `process.env.NAME = …` are writes, not reads); a name held in a constant or an object key and read
 * with `env[name]` (a file that reads a computed key and spells the name as a whole string or key);
 * and the connection variables @temporalio/envconfig reads (`envProvider['TEMPORAL_…']`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './demo-fixture';

export const PRODUCT_DIRS = ['activities', 'client', 'domain', 'infra', 'worker', 'workflows'];
const ENVCONFIG_LIB = path.join(REPO, 'node_modules/@temporalio/envconfig/lib');

function sources(dir: string, ext: RegExp): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f));
}

/** The names one file reads. */
export function envReadsIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b(?!\s*(?:\?\?|\|\||&&)?=(?!=))/g)) names.add(m[1]);
  for (const m of text.matchAll(/\b(?:env|envProvider)\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\]/g)) names.add(m[1]);
  if (/\benv\[\s*(?!['"`])/.test(text)) {
    for (const m of text.matchAll(/['"`]([A-Z][A-Z0-9]*_[A-Z0-9_]+)['"`]/g)) names.add(m[1]);
    for (const m of text.matchAll(/^\s*([A-Z][A-Z0-9]*_[A-Z0-9_]+):/gm)) names.add(m[1]);
  }
  return names;
}

/** Every name the product's sources and the envconfig package read. */
export function envReadsByCode(): Set<string> {
  const files = [
    ...PRODUCT_DIRS.flatMap((d) => sources(path.join(REPO, d), /\.ts$/)),
    ...sources(ENVCONFIG_LIB, /\.js$/),
  ];
  const names = new Set<string>();
  for (const file of files) for (const name of envReadsIn(fs.readFileSync(file, 'utf8'))) names.add(name);
  return names;
}
