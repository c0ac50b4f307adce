/**
 * JMESPath for the http provider's `extract` (@jmespath-community/jmespath, pure JS). Checked
 * twice: by `cutover plan check` (jmespathProblem, before anything runs) and by the provider
 * before its first request, so a typo is a config error, never "the service had no data".
 */
import { compile, isRegistered, search } from '@jmespath-community/jmespath';

/** Function names used anywhere in a compiled expression (the parser accepts unknown ones). */
function functionNames(node: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => functionNames(n, into));
  else if (node && typeof node === 'object') {
    const n = node as { type?: unknown; name?: unknown };
    if (n.type === 'Function' && typeof n.name === 'string') into.add(n.name);
    for (const value of Object.values(node)) functionNames(value, into);
  }
  return into;
}

/** Why `expr` is not a usable JMESPath expression, or undefined when it is. */
export function jmespathProblem(expr: string): string | undefined {
  let ast: unknown;
  try {
    ast = compile(expr);
  } catch (err) {
    return `not a JMESPath expression: ${(err as Error).message} (e.g. "kpis.par30" or "groups.*.par30")`;
  }
  const unknown = [...functionNames(ast)].filter((name) => !isRegistered(name));
  if (unknown.length) return `unknown JMESPath function ${unknown.map((f) => `${f}()`).join(', ')}: see https://jmespath.site for the built-in ones`;
  return undefined;
}

/** Evaluates a checked expression; a type error on this answer's data is thrown as is. */
export function jmespathSearch(value: unknown, expr: string): unknown {
  return search(value as Parameters<typeof search>[0], expr);
}

/** Header names whose value is a credential: the plan must name an env var (headersFromEnv) instead. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|api-?key|secret|password/i;

/**
 * What `cutover plan check` should say about one check's `http:` block (pure, no I/O): a bad
 * `extract`, a credential written inline in `headers`. `at` is the block's path, e.g. "checks[2].http".
 */
export function httpSpecProblems(spec: { extract?: string; headers?: Record<string, string> }, at: string): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const extract = spec.extract === undefined ? undefined : jmespathProblem(spec.extract);
  if (extract) problems.push({ path: `${at}.extract`, message: extract });
  for (const name of Object.keys(spec.headers ?? {}).filter((h) => CREDENTIAL_HEADER.test(h))) {
    problems.push({ path: `${at}.headers.${name}`, message: `a credential written in the plan: move it to headersFromEnv: { ${name}: SOME_ENV_VAR } and export SOME_ENV_VAR on the worker` });
  }
  return problems;
}
