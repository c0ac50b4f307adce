/**
 * How the workflow bundle is built, the same for the worker, the production image
 * (worker/build-bundle.ts) and the tests.
 *
 * Shared modules: with the SDK's reusable V8 context every cached workflow gets its own copy of
 * every module it imports, evaluated again (≈ 0.9 MB of module instances per workflow here,
 * bench/README.md "Many monitorings on one worker"). Modules listed in `preloadModules` are evaluated once
 * when the worker's workflow context starts, then shared by every workflow and deep-frozen by
 * the SDK. That is safe only for modules with no per-workflow state, no workflow API call at
 * import, and nothing that changes its own objects later: the domain/ modules (the pure core: no
 * @temporalio/workflow import, no module-level mutable state) and @noble's hashes and curve.
 * NOT zod nor any domain module that builds zod schemas: zod 4 finishes a schema on its first
 * parse (it rewrites its internals), which a frozen schema refuses, so those stay per workflow.
 * CUTOVER_SHARE_MODULES=0 turns sharing off (every workflow evaluates its own copy again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENCODED_FAILURE_CONVERTER_PATH, PAYLOAD_CONVERTER_PATH } from '../infra/payload-codec';

export const WORKFLOWS_PATH = path.resolve(__dirname, '../workflows/index.ts');
const DOMAIN = path.resolve(__dirname, '../domain');

/** domain module → the domain modules it imports (values, not types), and whether it imports zod. */
function domainImports(): Map<string, { deps: string[]; zod: boolean }> {
  const graph = new Map<string, { deps: string[]; zod: boolean }>();
  for (const file of fs.readdirSync(DOMAIN).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const source = fs.readFileSync(path.join(DOMAIN, file), 'utf8');
    const values = [...source.matchAll(/^import (?!type\b)[^;]*?from '([^']+)'/gm)].map((m) => m[1]);
    graph.set(file.replace(/\.ts$/, ''), {
      deps: values.filter((v) => v.startsWith('./')).map((v) => v.slice(2)),
      zod: values.some((v) => v === 'zod' || v.startsWith('zod/')),
    });
  }
  return graph;
}

export function sharedModules(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.CUTOVER_SHARE_MODULES === '0') return [];
  const graph = domainImports();
  const buildsSchemas = (name: string, seen = new Set<string>()): boolean => {
    const node = graph.get(name);
    if (!node || seen.has(name)) return false;
    seen.add(name);
    return node.zod || node.deps.some((d) => buildsSchemas(d, seen));
  };
  const domain = [...graph.keys()].filter((name) => !buildsSchemas(name)).sort();
  return ['@noble/curves/ed25519', '@noble/hashes/sha2', ...domain.map((name) => path.join(DOMAIN, `${name}.ts`))];
}

/**
 * The options for bundleWorkflowCode (logger aside). The converters are the worker's own
 * (workerDataConverter): a bundle without the failure converter would store a failure raised by
 * workflow code (an ABORTED run's message) in clear text even with the codec on.
 */
export function workflowBundleOptions(env: NodeJS.ProcessEnv = process.env) {
  return {
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: sharedModules(env),
    payloadConverterPath: PAYLOAD_CONVERTER_PATH,
    failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH,
  };
}
