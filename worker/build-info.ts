/**
 * What this install is: its package root and version, and where its workflow code comes from. An installed
 * package runs compiled JS from dist/ with the workflow bundle prebuilt at dist/workflow-bundle.js;
 * a checkout runs its TypeScript sources and bundles the workflows when the worker starts.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The folder holding cutover's package.json: two levels up in dist/, one in the sources. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The workflow bundle prebuilt into the package (`npm run build`), when this code runs from dist/.
 * From the sources it is undefined even if a dist/ exists beside them: that bundle may be stale.
 */
export function packagedBundle(): string | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  const file = path.join(packageRoot(), 'dist', 'workflow-bundle.js');
  return fs.existsSync(file) ? file : undefined;
}
