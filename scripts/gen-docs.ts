/**
 * Writes the generated references: docs/reference/plan.md from the plan's zod schema
 * (domain/plan-schema.ts: every field path, type, default and `.describe()` text) and
 * docs/reference/cli.md from the commander program (client/program.ts, built, never run).
 *   node --import tsx scripts/gen-docs.ts           write both
 *   node --import tsx scripts/gen-docs.ts --check   exit 1 when a committed file is stale
 * test/docs/docs.test.ts renders both in memory and fails when the committed files differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planReference } from './gen-docs-plan';
import { cliReference } from './gen-docs-cli';

export const REFRESH_COMMAND = 'node --import tsx scripts/gen-docs.ts';

export const ROOT = path.resolve(__dirname, '..');

/** Each generated file, relative to the repository root, and what renders it. */
export const GENERATED: { file: string; render: () => string }[] = [
  { file: 'docs/reference/plan.md', render: planReference },
  { file: 'docs/reference/cli.md', render: cliReference },
];

/** The generated files whose committed text differs from what the code renders now. */
export function staleFiles(root = ROOT): string[] {
  return GENERATED.filter(({ file, render }) => {
    const full = path.join(root, file);
    return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== render();
  }).map(({ file }) => file);
}

function main(argv: string[]) {
  if (argv.includes('--check')) {
    const stale = staleFiles();
    for (const file of stale) console.error(`${file} is stale: run ${REFRESH_COMMAND}`);
    process.exit(stale.length ? 1 : 0);
  }
  for (const { file, render } of GENERATED) {
    const full = path.join(ROOT, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, render());
    console.log(`wrote ${file}`);
  }
}

if (require.main === module) main(process.argv.slice(2));
