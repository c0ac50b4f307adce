/**
 * Compare mode of any check: every numeric field of a candidate answer against a reference
 * (V1's answer, or one recorded before), nested breakdowns included, each within a relative OR
 * an absolute tolerance. Pure, so the shadow run, Phase 5, the rollback and tests share it.
 */
export type FlatValues = Record<string, number>;

export interface FieldDeviation {
  path: string;
  reference: number;
  candidate: number;
  /** |candidate - reference| / |reference|; 1 when the reference is 0 and the candidate is not */
  relative: number;
  absolute: number;
  ok: boolean;
}

export interface ValueComparison {
  ok: boolean;
  relativeTolerance: number;
  absoluteTolerance: number;
  /** fields compared */
  compared: number;
  maxRelative: number;
  /** out of tolerance first (totals before breakdown groups, then the worst), then the worst few in it */
  deviations: FieldDeviation[];
  /** fields the reference has and the candidate lacks (a lost breakdown group is a failure) */
  missing: string[];
  /** fields only the candidate has (reported, not failed: a new KPI is not a drift) */
  extra: string[];
}

/**
 * Flattens an answer into path → number. Objects by key, arrays of rows by their text columns
 * (a SQL `group by segment, region` row becomes `retail/north.outstanding`), other arrays by index.
 */
export function flattenNumbers(value: unknown, prefix = '', out: FlatValues = {}): FlatValues {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) out[prefix || 'value'] = value;
    return out;
  }
  if (typeof value === 'string' && prefix && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim())) {
    out[prefix] = Number(value); // numeric columns arrive as strings from some drivers
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => flattenNumbers(item, join(prefix, rowKey(item) ?? String(i)), out));
    return out;
  }
  if (value && typeof value === 'object') {
    // A row's text columns named it (rowKey); flattening skips them as they are not numbers.
    for (const [k, v] of Object.entries(value)) flattenNumbers(v, join(prefix, k), out);
  }
  return out;
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** A row's identity: its text columns, in order ("retail/north"); undefined for a row of numbers only. */
function rowKey(row: unknown): string | undefined {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return undefined;
  const texts = Object.values(row).filter(
    (v): v is string => typeof v === 'string' && !/^-?\d+(\.\d+)?$/.test(v.trim()),
  );
  return texts.length ? texts.join('/') : undefined;
}

const depth = (path: string) => path.split('.').length;

export function relativeDiff(reference: number, candidate: number): number {
  if (reference === candidate) return 0;
  if (reference === 0) return 1;
  return Math.abs(candidate - reference) / Math.abs(reference);
}

/** `a.*.c` matches `a.b.c`; `a` matches `a` and everything under it. */
export function pathIgnored(path: string, patterns: string[]): boolean {
  return patterns.some((p) => {
    const re = new RegExp(
      `^${p
        .split('.')
        .map((s) => (s === '*' ? '[^.]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('\\.')}(\\..+)?$`,
    );
    return re.test(path);
  });
}

export function compareValues(
  reference: FlatValues,
  candidate: FlatValues,
  opts: { relative: number; absolute: number; ignore?: string[] },
): ValueComparison {
  const ignore = opts.ignore ?? [];
  const refKeys = Object.keys(reference).filter((k) => !pathIgnored(k, ignore));
  const missing = refKeys.filter((k) => typeof candidate[k] !== 'number');
  const extra = Object.keys(candidate).filter((k) => !(k in reference) && !pathIgnored(k, ignore));
  const all = refKeys
    .filter((k) => typeof candidate[k] === 'number')
    .map((path) => {
      const ref = reference[path];
      const cand = candidate[path];
      const relative = relativeDiff(ref, cand);
      const absolute = Math.abs(cand - ref);
      return {
        path,
        reference: ref,
        candidate: cand,
        relative,
        absolute,
        ok: relative <= opts.relative || absolute <= opts.absolute,
      };
    })
    // Out of tolerance first; among those a total before the breakdown groups that moved it, then the worst.
    .sort(
      (a, b) => Number(a.ok) - Number(b.ok) || (a.ok ? 0 : depth(a.path) - depth(b.path)) || b.relative - a.relative,
    );
  const bad = all.filter((d) => !d.ok);
  return {
    ok: bad.length === 0 && missing.length === 0,
    relativeTolerance: opts.relative,
    absoluteTolerance: opts.absolute,
    compared: all.length,
    maxRelative: all.reduce((m, d) => Math.max(m, d.relative), 0),
    deviations: [...bad.slice(0, 50), ...all.filter((d) => d.ok).slice(0, 5)],
    missing: missing.slice(0, 50),
    extra: extra.slice(0, 50),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 4 : 3)}%`;

export function describeValueComparison(c: ValueComparison): string {
  const tol =
    [c.relativeTolerance ? pct(c.relativeTolerance) : '', c.absoluteTolerance ? `±${c.absoluteTolerance}` : '']
      .filter(Boolean)
      .join(' or ') || 'exact';
  if (c.ok) return `all ${c.compared} fields within ${tol} (max ${pct(c.maxRelative)})`;
  const bad = c.deviations.filter((d) => !d.ok);
  const shown = bad.slice(0, 4).map((d) => `${d.path} off by ${pct(d.relative)} (${d.reference} → ${d.candidate})`);
  const more = bad.length > 4 ? [`${bad.length - 4} more`] : [];
  const lost = c.missing.length
    ? [`${c.missing.length} missing (` + `${c.missing.slice(0, 3).join(', ')}${c.missing.length > 3 ? ', …' : ''})`]
    : [];
  return `${[...shown, ...more, ...lost].join(', ')} (tolerance ${tol}, ${c.compared} fields compared)`;
}
