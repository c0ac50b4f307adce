/**
 * Which keys a plan may hold at a path, read from the schema itself (so it never drifts from
 * it), and the nearest of them to a misspelt one: `stopGrase` → "did you mean `stopGrace`?".
 */
import type { z } from 'zod';

type Def = { type: string; [k: string]: any };
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** Past defaults and pipes to the schema that reads the value; `value` picks a union's option. */
function unwrap(schema: unknown, value: unknown): Def | undefined {
  let def = defOf(schema);
  for (let guard = 0; def && guard < 20; guard++) {
    if (WRAPPERS.has(def.type)) def = defOf(def.innerType);
    else if (def.type === 'pipe') def = defOf(def.in);
    else if (def.type === 'lazy') def = defOf(def.getter());
    else if (def.type === 'union') def = defOf(pickOption(def, value));
    else return def;
  }
  return def;
}

/** A discriminated union's option by its discriminator; else the first option of the value's kind. */
function pickOption(def: Def, value: unknown): unknown {
  const options = def.options as unknown[];
  if (def.discriminator && value && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[def.discriminator];
    const match = options.find((o) => {
      const shape = unwrap(o, value)?.shape as Record<string, unknown> | undefined;
      const literal = defOf(shape?.[def.discriminator]);
      const values =
        literal?.type === 'literal'
          ? (literal.values as unknown[])
          : literal?.type === 'default'
            ? [defOf(literal.innerType)?.values?.[0]]
            : [];
      return values.includes(tag) || (tag === undefined && literal?.type === 'default');
    });
    if (match) return match;
  }
  const kind = Array.isArray(value) ? 'array' : value && typeof value === 'object' ? 'object' : undefined;
  return (
    options.find((o) => {
      const t = unwrap(o, value)?.type;
      return kind === 'array' ? t === 'array' : kind === 'object' ? t === 'object' || t === 'record' : false;
    }) ?? options[0]
  );
}

/** The object keys the schema allows at `path` of `raw`, or undefined where it is not an object of known keys. */
export function knownKeysAt(schema: z.ZodType, raw: unknown, path: PropertyKey[]): string[] | undefined {
  let current: unknown = schema;
  let value = raw;
  for (const segment of path) {
    const def = unwrap(current, value);
    if (!def) return undefined;
    if (def.type === 'object') current = def.shape[segment as string];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'intersection') current = defOf(def.left)?.type === 'object' ? def.left : def.right;
    else return undefined;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
  }
  const def = unwrap(current, value);
  return def?.type === 'object' ? Object.keys(def.shape) : undefined;
}

/** Edits from a to b, a swap of two neighbours ("fiel" → "file") counting as one, as people type them. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known key a typo most likely meant: same letters in another case, or a few edits away. */
export function nearestKey(unknown: string, known: string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const scored = known.map((k) => ({ k, d: editDistance(lower, k.toLowerCase()) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  const allowed = Math.max(1, Math.min(3, Math.floor(unknown.length / 3)));
  return best && best.d <= allowed ? best.k : undefined;
}
