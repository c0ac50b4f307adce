/**
 * The user docs stay true to the code and to themselves: the generated references (plan fields
 * from the zod schema, the CLI from the commander program) match what the code renders now; every
 * relative link in README.md, docs/ and bench/README.md reaches a file (and a heading, GitHub's
 * anchor); and the plan `cutover plan init` writes points only at docs pages that exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GENERATED, REFRESH_COMMAND, ROOT } from '../../scripts/gen-docs';
import { anchorsOf } from '../../scripts/markdown-text';
import { planTemplate } from '../../client/plan-template';

function markdownFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', 'bench/README.md', ...docs.sort()];
}

/** Inline links and images outside fenced code and code spans: `[text](target)`. */
export function linksOf(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(m[1]);
  }
  return links;
}

const anchorCache = new Map<string, Set<string>>();
const anchorsIn = (file: string) => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(fs.readFileSync(file, 'utf8')));
  return anchorCache.get(file)!;
};

/** Why `target`, linked from `from` (a path relative to the root), does not resolve; undefined when it does. */
export function brokenLink(from: string, target: string, root = ROOT): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: …: not ours to check
  const [filePart, anchor] = target.split('#', 2);
  const file = filePart ? path.resolve(root, path.dirname(from), decodeURI(filePart)) : path.resolve(root, from);
  if (!file.startsWith(root + path.sep) && file !== root) return `${target}: outside the repository`;
  if (!fs.existsSync(file)) return `${target}: no such file (${path.relative(root, file)})`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
  return anchorsIn(file).has(anchor) ? undefined : `${target}: ${path.relative(root, file)} has no heading #${anchor}`;
}

describe('generated references', () => {
  test.each(GENERATED.map((g) => [g.file, g.render] as const))('%s is up to date with the code', (file, render) => {
    const full = path.join(ROOT, file);
    const committed = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : '(missing)';
    const stale = committed !== render();
    // the command to refresh it, said in the failure
    expect(stale ? `${file} is stale: run ${REFRESH_COMMAND}` : 'fresh').toBe('fresh');
  });

  test('the plan reference has every top-level field of the schema, typed and described', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/reference/plan.md'), 'utf8');
    for (const field of ['name', 'services', 'backup', 'traffic', 'tests', 'checks', 'approvals', 'monitoring'])
      expect(text).toMatch(new RegExp(`^\\| \`${field}\` \\| [^|]+ \\|`, 'm'));
    expect(text).toContain(
      '| `services.{v1,v2}.stopGrace` | duration (1s–1h) | `30s` | SIGTERM grace before a force stop |',
    );
    expect(text).toContain('| `checks[].http.timeout` | duration (100ms–10m) | `10s` |');
  });

  test('the CLI reference has every command of the program', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/reference/cli.md'), 'utf8');
    for (const cmd of ['plan init', 'plan check', 'check', 'worker', 'start', 'approve', 'watch', 'schedule create'])
      expect(text).toContain(`\n## cutover ${cmd}\n`);
    expect(text).toContain('CUTOVER_PLAN_DIR'); // the worker's help text after its options
  });
});

describe('links', () => {
  test('the link checker finds a missing file, a missing heading and a link out of the repository', () => {
    const text = '[a](docs/no-such-page.md) [b](README.md#no-such-heading) [c](../../etc/passwd) `[d](x.md)`';
    const links = linksOf(text);
    expect(links).toEqual(['docs/no-such-page.md', 'README.md#no-such-heading', '../../etc/passwd']);
    expect(links.map((l) => brokenLink('README.md', l))).toEqual([
      expect.stringMatching(/no such file/),
      expect.stringMatching(/has no heading #no-such-heading/),
      expect.stringMatching(/outside the repository/),
    ]);
    expect(brokenLink('README.md', 'docs/getting-started.md#1-write-the-plan')).toBeUndefined();
  });

  test('every relative link in README.md, docs/ and bench/README.md resolves, anchors included', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(20);
    const broken = files.flatMap((file) =>
      linksOf(fs.readFileSync(path.join(ROOT, file), 'utf8'))
        .map((link) => brokenLink(file, link))
        .filter((why): why is string => why !== undefined)
        .map((why) => `${file}: ${why}`),
    );
    expect(broken).toEqual([]);
  });

  test('README.md keeps the quick start CI and newcomers rely on, and stays short', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('scripts/test.sh    # install what is missing, run every test (type check, lint, jest)');
    expect(readme).toContain(
      'scripts/demo.sh    # install what is missing, start Temporal (UI :8233) + worker, run the demo cutover',
    );
    expect(readme.split('\n').length).toBeLessThanOrEqual(260);
  });
});

describe('the plan `cutover plan init` writes', () => {
  const text = planTemplate({
    name: 'orders',
    v1Url: 'http://127.0.0.1:8080',
    v2Url: 'http://127.0.0.1:8081',
    prometheus: 'http://127.0.0.1:9090',
  });

  test('points only at docs pages that exist', () => {
    const pointers = [...text.matchAll(/\bdocs\/[\w./-]*\w(?:#[\w-]+)?/g)].map((m) => m[0]);
    expect(pointers.length).toBeGreaterThan(0);
    expect(pointers.map((p) => brokenLink('README.md', p)).filter(Boolean)).toEqual([]);
  });

  test('names no README section, which the docs tree replaced', () => {
    expect(text).not.toMatch(/README\s*"/);
  });
});
