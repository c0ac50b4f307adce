/**
 * workflows/patches.ts is the only way to a patch: lint refuses `patched()` anywhere else in
 * workflow code, and `patchedFix` takes only registered ids (the compiler checks that).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PATCHES, type PatchEntry } from '../../workflows/patches';

const REPO = path.resolve(__dirname, '../..');
const USES_PATCHED =
  `import { patched } from '@temporalio/workflow';\nexport const ` + `fixed = (): boolean => patched('some-fix');\n`;

/**
 * The project's own lint run (a child process: jest cannot load its ESM config) on `text` in place
 * of `file`'s content: the file must exist, for typed lint finds files through the tsconfig.
 */
async function lintAs(file: string, text: string): Promise<string[]> {
  const eslint = path.join(REPO, 'node_modules/.bin/eslint');
  const run = spawnSync(eslint, ['--stdin', '--stdin-filename', file, '--format', 'json'], {
    cwd: REPO,
    input: text,
    encoding: 'utf8',
  });
  if (!run.stdout) throw new Error(`eslint did not run: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('a workflow file that imports patched() directly fails lint, pointing at the registry', async () => {
  expect(await lintAs('workflows/cutover.ts', USES_PATCHED)).toEqual([expect.stringContaining('workflows/patches.ts')]);
});

test('deprecatePatch() is refused the same way', async () => {
  const text =
    `import { deprecatePatch } from '@temporalio/workflow';\nexport ` +
    `const retire = (): void => deprecatePatch('x');\n`;
  expect(await lintAs('workflows/cutover.ts', text)).toEqual([expect.stringContaining('workflows/patches.ts')]);
});

test('the registry itself may call patched()', async () => {
  expect(await lintAs('workflows/patches.ts', USES_PATCHED)).toEqual([]);
});

test('every registered patch says why, since when, and when it can go', () => {
  for (const [id, entry] of Object.entries(PATCHES) as [string, PatchEntry][]) {
    expect({
      id,
      why: entry.why.trim().length > 0,
      since: /^\d+\.\d+/.test(entry.since),
      until: entry.until.trim().length > 0,
    }).toEqual({ id, why: true, since: true, until: true });
  }
});
