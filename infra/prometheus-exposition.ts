/**
 * The Prometheus text exposition format (version 0.0.4) for a snapshot of samples. A snapshot,
 * not registered instruments: a series absent from the snapshot is gone from the next scrape,
 * which is how a run's series disappear when it ends (the SDK's exporter cannot drop a series).
 */
import type { MetricDef, Sample } from '../domain/run-metrics';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** HELP and TYPE for every defined metric, then its samples (a metric without any keeps its header). */
export function renderExposition(defs: readonly MetricDef[], samples: readonly Sample[]): string {
  const byName = new Map<string, Sample[]>();
  for (const s of samples) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const def of defs) {
    lines.push(`# HELP ${def.name} ${escapeHelp(def.help)}`, `# TYPE ${def.name} ${def.type}`);
    for (const s of byName.get(def.name) ?? []) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      lines.push(`${s.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
