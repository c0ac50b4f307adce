/**
 * docs/reference/plan.md from the plan's zod schema: walks the zod objects (objects, unions,
 * arrays, records, and the optional/default wrappers around them) and writes one row per field
 * path with its type, default and `.describe()` text. Duration bounds are not data in the
 * schema (they are refinements), so they are found by asking the schema itself what it accepts.
 */
import { z } from 'zod';
import { planSchema } from '../domain/plan-schema';
import { DURATION_PATTERN } from '../domain/duration';
import { cell, code } from './markdown-text';

type Def = { type: string; [k: string]: any };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly']);

interface Field {
  /** the innermost schema, past the wrappers */
  inner: z.ZodType;
  description?: string;
  default?: unknown;
  hasDefault: boolean;
  optional: boolean;
}

/** Past optional/default/prefault to the schema that reads the value, collecting what the wrappers say. */
function unwrap(schema: z.ZodType): Field {
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

export interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

function defaultText(field: Field): string {
  if (field.hasDefault) {
    const value = field.default;
    if (value && typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length) return '';
    return code(typeof value === 'string' && value ? value : JSON.stringify(value));
  }
  return field.optional ? '' : 'required';
}

/** The fields an object, union, array or record holds, depth first, in schema order. */
function walk(schema: z.ZodType, at: string): Map<string, Row> {
  const def = defOf(schema);
  const rows = new Map<string, Row>();
  if (def.type === 'object') {
    for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
      const path = at ? `${at}.${key}` : key;
      const field = unwrap(child);
      rows.set(path, {
        path,
        type: typeName(field.inner),
        default: defaultText(field),
        description: field.description ?? '',
      });
      for (const [p, row] of walk(field.inner, path)) rows.set(p, row);
    }
  } else if (def.type === 'array') {
    return walk(unwrap(def.element).inner, `${at}[]`);
  } else if (def.type === 'record') {
    return walk(unwrap(def.valueType).inner, `${at}.<name>`);
  } else if (def.type === 'union') {
    const options = (def.options as z.ZodType[]).map((o) => unwrap(o).inner);
    // a discriminated union's options are named by their tag; others (a literal or a list) need no name
    const labels = options.map((o) =>
      def.discriminator ? `${def.discriminator}: ${discriminatorValue(o, def.discriminator)}` : '',
    );
    return mergeOptions(
      options.map((o) => walk(o, at)),
      labels,
    );
  }
  return rows;
}

/**
 * One row per path over a union's options: a field every option has alike is said once; else the
 * row says which options have it and what it is in each, e.g. "(driver: nginx) …; (driver: exec) …".
 */
function mergeOptions(perOption: Map<string, Row>[], labels: string[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  const paths = [...new Set(perOption.flatMap((m) => [...m.keys()]))];
  for (const path of paths) {
    const groups = new Map<string, { row: Row; labels: string[] }>();
    perOption.forEach((m, i) => {
      const row = m.get(path);
      if (!row) return;
      const key = JSON.stringify([row.type, row.default, row.description]);
      const group = groups.get(key) ?? { row, labels: [] };
      group.labels.push(labels[i]);
      groups.set(key, group);
    });
    const list = [...groups.values()];
    if (list.length === 1 && (list[0].labels.length === perOption.length || !list[0].labels[0])) {
      rows.set(path, list[0].row);
      continue;
    }
    const said = (g: { row: Row; labels: string[] }) => `(${g.labels.join(', ')}) ${g.row.description}`.trim();
    rows.set(path, {
      path,
      type: [...new Set(list.flatMap((g) => g.row.type.split(' or ')))].join(' or '),
      default:
        [...new Set(list.map((g) => g.row.default).filter((d) => d && d !== 'required'))].join(', ') || 'required',
      description: list.map(said).join('; '),
    });
  }
  return rows;
}

function discriminatorValue(option: z.ZodType, key: string): string {
  return String(defOf(unwrap(defOf(option).shape[key]).inner).values?.[0]);
}

/** V1 and V2 share one schema: their rows are written once, as `services.{v1,v2}.…`. */
function planRows(): Row[] {
  return [...walk(planSchema, '').values()]
    .filter((r) => !r.path.startsWith('services.v2'))
    .map((r) => ({ ...r, path: r.path.replace(/^services\.v1/, 'services.{v1,v2}') }))
    .map((r) =>
      r.path === 'services.{v1,v2}'
        ? { ...r, description: "one service: its `driver` with that driver's fields, and the fields every driver has" }
        : r,
    );
}

export function planReference(): string {
  const rows = planRows();
  const top = (r: Row) => r.path.split(/[.[]/)[0];
  const sections = [...new Set(rows.map(top))];
  const scalar = (name: string) => rows.filter((r) => top(r) === name).length === 1;
  const table = (list: Row[]) => [
    '| Field | Type | Default | Description |',
    '|---|---|---|---|',
    ...list.map((r) => `| ${code(r.path)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`),
  ];
  const out = [
    '# Plan reference',
    '',
    '<!-- Generated by `node --import tsx scripts/gen-docs.ts` from domain/plan-schema.ts: do not edit. -->',
    '',
    'Every field of a cutover plan (YAML or JSON), with its type, default and meaning, read from the',
    'schema the worker and `cutover plan check` validate with. Unknown keys are refused. Relative paths',
    "are resolved against `workdir` (default: the plan file's folder). `cutover plan schema` prints the",
    'same schema as JSON Schema for editors; [writing a plan](../getting-started.md) walks through one.',
    '',
    'Durations are a number and a unit (`ms`, `s`, `m`, `h`, `d`), e.g. `90s`; the range a field',
    'accepts is given with its type. *required* fields have no default.',
    '',
    '## Top level',
    '',
    ...table(rows.filter((r) => scalar(top(r)))),
  ];
  for (const name of sections.filter((s) => !scalar(s))) {
    const [head, ...rest] = rows.filter((r) => top(r) === name);
    const lead = head.description.replace(/^./, (c) => c.toUpperCase());
    out.push('', `## ${name}`, '', cell(lead.endsWith('.') ? lead : `${lead}.`), '');
    out.push(...table([head, ...rest]));
  }
  return out.join('\n') + '\n';
}
