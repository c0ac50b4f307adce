/**
 * Reading zod schemas for the docs (scripts/gen-docs-plan.ts): past the optional/default wrappers
 * to the schema that reads a value, and its type in words. Duration bounds are refinements, not
 * data, so they are found by asking the schema itself what it accepts.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from '../domain/duration';
import { code } from './markdown-text';

export type Def = { type: string; [k: string]: any };
export const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly']);

export interface Field {
  /** the innermost schema, past the wrappers */
  inner: z.ZodType;
  description?: string;
  default?: unknown;
  hasDefault: boolean;
  optional: boolean;
}

/** Past optional/default/prefault to the schema that reads the value, collecting what the wrappers say. */
export function unwrap(schema: z.ZodType): Field {
  const field: Field = { inner: schema, hasDefault: false, optional: false };
  for (let s = schema; ; s = defOf(s).innerType) {
    field.description ??= z.globalRegistry.get(s)?.description;
    const def = defOf(s);
    if (!WRAPPERS.has(def.type)) return { ...field, inner: s };
    if (def.type === 'optional') field.optional = true;
    if ((def.type === 'default' || def.type === 'prefault') && !field.hasDefault) {
      field.hasDefault = true;
      field.default = def.defaultValue;
    }
  }
}

const accepts = (schema: z.ZodType, ms: number) => schema.safeParse(`${ms}ms`).success;
const MAX_MS = 10 ** 13;

/** The smallest and largest duration a duration field accepts, by bisection (the refinements are closures). */
function durationBounds(schema: z.ZodType): [number, number] | undefined {
  const inside = [1, 100, 1_000, 60_000, 3_600_000, 86_400_000].find((ms) => accepts(schema, ms));
  if (inside === undefined) return undefined;
  let [lo, hi] = [0, inside]; // lo refused (0 is never a duration), hi accepted
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (accepts(schema, mid)) hi = mid;
    else lo = mid;
  }
  const min = hi;
  [lo, hi] = [inside, MAX_MS]; // lo accepted, hi refused
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (accepts(schema, mid)) lo = mid;
    else hi = mid;
  }
  return [min, lo];
}

function humanMs(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1_000, 's'],
  ];
  const [size, unit] = units.find(([size]) => ms % size === 0) ?? [1, 'ms'];
  return `${ms / size}${unit}`;
}

function isDuration(def: Def): boolean {
  return (def.checks ?? []).some(
    (c: any) => c._zod.def.check === 'string_format' && c._zod.def.pattern?.source === DURATION_PATTERN.source,
  );
}

function numberType(def: Def): string {
  let type = 'number';
  const bounds: string[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'number_format' && /int/.test(c.format)) type = 'integer';
    if (c.check === 'greater_than') bounds.push(`${c.inclusive ? '≥' : '>'} ${c.value}`);
    if (c.check === 'less_than') bounds.push(`${c.inclusive ? '≤' : '<'} ${c.value}`);
  }
  return bounds.length ? `${type} (${bounds.join(', ')})` : type;
}

const grouped = (type: string) => (type.includes(' or ') ? `(${type})` : type);

/** A field's type in words: `duration (1s–1h)`, `integer (≥ 1)`, `list of string`, one of `a`, `b`. */
export function typeName(schema: z.ZodType): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      if (def.format === 'url') return 'URL';
      if (isDuration(def)) {
        const bounds = durationBounds(schema);
        return bounds ? `duration (${humanMs(bounds[0])}–${humanMs(bounds[1])})` : 'duration';
      }
      return 'string';
    case 'number':
      return numberType(def);
    case 'boolean':
      return 'boolean';
    case 'unknown':
    case 'any':
      return 'any';
    case 'literal':
      return (def.values as unknown[]).map((v) => code(String(v))).join(' or ');
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, string>)
        .map((v) => code(v))
        .join(', ')}`;
    case 'array':
      return `list of ${grouped(typeName(unwrap(def.element).inner))}`;
    case 'record':
      return `map of ${grouped(typeName(unwrap(def.valueType).inner))}`;
    case 'object':
      return 'object';
    case 'union':
      return [...new Set((def.options as z.ZodType[]).map((o) => typeName(unwrap(o).inner)))].join(' or ');
    default:
      return /url/.test(def.format ?? '') ? 'URL' : def.type;
  }
}
