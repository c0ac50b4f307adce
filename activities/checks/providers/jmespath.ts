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
  if (unknown.length)
    return (
      `unknown JMESPath function ` +
      `${unknown.map((f) => `${f}()`).join(', ')}: see ` +
      `https://jmespath.site for the built-in ones`
    );
  return undefined;
}

/** Evaluates a checked expression; a type error on this answer's data is thrown as is. */
export function jmespathSearch(value: unknown, expr: string): unknown {
  return search(value as Parameters<typeof search>[0], expr);
}

/**
 * The keys an extract of the form `{a: …, b: …}` names: every one must be in an answer (or a
 * baseline) for a comparison to cover what the plan meant; undefined for any other shape.
 */
export function selectedKeys(expr: string): string[] | undefined {
  let ast: { type?: string; children?: Array<{ name?: unknown }> };
  try {
    ast = compile(expr) as typeof ast;
  } catch {
    return undefined;
  }
  if (ast.type !== 'MultiSelectHash' || !ast.children) return undefined;
  return ast.children.map((c) => c.name).filter((n): n is string => typeof n === 'string');
}
