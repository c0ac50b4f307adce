/**
 * Which series of a counter count as traffic: a Prometheus-style selector over /metrics,
 * `http_requests_total{kind="user"}` or `http_requests_total{route!~"/health|/metrics"}`, so health
 * checks, scrapes and admin calls can be left out of the error rate's denominator. Pure.
 */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface MetricSelector {
  name: string;
  matchers: LabelMatcher[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const MATCHER = `\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*"((?:[^"\\\\]|\\\\.)*)"\\s*`;
/** A metric name, optionally with `{label="value", …}` (=, !=, =~, !~ as in PromQL). */
export const METRIC_SELECTOR_PATTERN = new RegExp(`^${NAME}(\\{(${MATCHER}(,${MATCHER})*,?)?\\})?$`);

export function parseSelector(text: string): MetricSelector {
  if (!METRIC_SELECTOR_PATTERN.test(text))
    throw new Error(`"${text}" is not a metric selector: use name or name{label="value"}`);
  const brace = text.indexOf('{');
  const name = brace < 0 ? text : text.slice(0, brace);
  const matchers = [...(brace < 0 ? '' : text.slice(brace)).matchAll(new RegExp(MATCHER, 'g'))].map(
    ([, label, op, value]) => ({
      label,
      op: op as LabelMatcher['op'],
      value: value.replace(/\\(.)/g, '$1'),
    }),
  );
  return { name, matchers };
}

/** Regex matchers are anchored, as in PromQL: `route=~"/kpis"` does not match "/kpis/x". */
export function matchesSelector(selector: MetricSelector, labels: Record<string, string>): boolean {
  return selector.matchers.every(({ label, op, value }) => {
    const actual = labels[label] ?? '';
    if (op === '=') return actual === value;
    if (op === '!=') return actual !== value;
    const hit = new RegExp(`^(?:${value})$`).test(actual);
    return op === '=~' ? hit : !hit;
  });
}
