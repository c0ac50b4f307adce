/**
 * The few figures cutover reads from a service's Prometheus /metrics: request and error
 * counters (for the error rate), resident memory and CPU seconds, for the monitoring workflow's
 * sentinel probe and checkpoint rows.
 */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { ServiceRole } from '../../domain/service-schema';
import { httpRequest, joinUrl } from '../../infra/http-client';
import { matchesSelector, parseSelector } from '../../domain/metric-selector';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Reads `{a="x",b="y"}` from `line` at `start` (on the `{`); label values may hold `}`, `,` and escapes. */
function readLabels(line: string, start: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const key = NAME.exec(line.slice(i))?.[0];
    if (!key || line[i + key.length] !== '=' || line[i + key.length + 1] !== '"') return undefined;
    i += key.length + 2;
    let value = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\' && i + 1 < line.length) {
        const next = line[++i];
        value += next === 'n' ? '\n' : next;
      } else value += line[i];
      i++;
    }
    if (line[i] !== '"') return undefined;
    labels[key] = value;
    i++;
  }
}

/**
 * Parses the Prometheus text exposition format; comments and lines it cannot read are skipped.
 * `only`: the metric names wanted; other lines are skipped before their labels are read (the
 * sentinel reads four figures from ~17 KB of /metrics every minute).
 */
export function parsePrometheusText(text: string, only?: ReadonlySet<string>): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (!name || (only && !only.has(name))) continue;
    let labels: Record<string, string> = {};
    let rest = line.slice(name.length);
    if (rest.startsWith('{')) {
      const parsed = readLabels(line, name.length);
      if (!parsed) continue;
      labels = parsed.labels;
      rest = line.slice(parsed.end);
    }
    const valueText = rest.trim().split(/\s+/)[0]; // a timestamp may follow the value
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (valueText === undefined || valueText === '' || (Number.isNaN(value) && valueText !== 'NaN')) continue;
    samples.push({ name, labels, value });
  }
  return samples;
}

/** Sum of every series of one metric (all label combinations); undefined if it has none. */
export function sumMetric(samples: Sample[], name: string): number | undefined {
  const matching = samples.filter((s) => s.name === name && Number.isFinite(s.value));
  return matching.length ? matching.reduce((sum, s) => sum + s.value, 0) : undefined;
}

export interface ServiceMetricsReading {
  /** total requests (requestsMetric, all labels); 0 when the metric is absent (see `missing`) */
  requests: number;
  /** total server errors (errorsMetric, all labels); 0 when absent, which a healthy counter often is */
  errors: number;
  residentMemoryMb: number | null;
  cpuSecondsTotal: number | null;
  /** the metric names /metrics did not expose */
  missing: string[];
}

/** Names announced by `# TYPE`/`# HELP` lines: a labelled counter that has counted nothing yet has no sample line. */
export function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^#\s+(?:TYPE|HELP)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)/gm)) names.add(m[1]);
  return names;
}

/** `requestsMetric`/`errorsMetric` may be selectors (`name{kind="user"}`): only the series they match are summed. */
export function readingFrom(text: string, requestsMetric: string, errorsMetric: string): ServiceMetricsReading {
  const selectors = [requestsMetric, errorsMetric, 'process_resident_memory_bytes', 'process_cpu_seconds_total'].map(
    parseSelector,
  );
  const wanted = selectors.map((s) => s.name);
  const all = parsePrometheusText(text, new Set(wanted));
  const declared = declaredNames(text);
  const [requests, errors, rss, cpu] = selectors.map((s) =>
    sumMetric(
      all.filter((x) => matchesSelector(s, x.labels)),
      s.name,
    ),
  );
  return {
    requests: requests ?? 0,
    errors: errors ?? 0,
    residentMemoryMb: rss === undefined ? null : Math.round((rss / (1024 * 1024)) * 10) / 10,
    cpuSecondsTotal: cpu ?? null,
    missing: wanted.filter((name) => sumMetric(all, name) === undefined && !declared.has(name)),
  };
}

/** GET /metrics of the service in `role` and the figures cutover tracks. */
export async function readServiceMetrics(loaded: LoadedPlan, role: ServiceRole): Promise<ServiceMetricsReading> {
  const url = joinUrl(loaded.plan.services[role].baseUrl, '/metrics');
  const answer = await httpRequest(url);
  if (answer.status !== 200) throw new Error(`GET ${url} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  const { requestsMetric, errorsMetric } = loaded.plan.validation;
  return readingFrom(answer.text, requestsMetric, errorsMetric);
}
