/**
 * The commented starting plan `cutover plan init` writes: a service that is not the demo,
 * checked by its health endpoint, Prometheus (error rate and latency over a window, from real
 * traffic) and the team's own validation script. Valid as written (a test runs `plan check` on it).
 */
export interface TemplateOptions {
  name: string;
  v1Url: string;
  v2Url: string;
  prometheus: string;
}

export function planTemplate(o: TemplateOptions): string {
  return `# yaml-language-server: $schema=plan.schema.json   (cutover plan schema --out plan.schema.json)
# A cutover plan for ${o.name}: V1 → V2. Check it with: cutover plan check <this file>
# Try one check by hand with: cutover check <this file> <check name> --target both
# The path from here to a cutover: docs/getting-started.md; every field: docs/reference/plan.md
name: ${o.name}
description: ${o.name} V1 → V2
services:
  v1:
    name: ${o.name}-v1
    driver: systemd            # or process, docker, exec (docs/drivers/README.md)
    unit: ${o.name}-v1.service
    baseUrl: ${o.v1Url}
    healthPath: /health
  v2:
    name: ${o.name}-v2
    driver: systemd
    unit: ${o.name}-v2.service
    baseUrl: ${o.v2Url}
    healthPath: /health
backup:
  paths: [data]                # what a rollback restores, relative to this file's folder
tests:
  command: [npm, test]         # V2's test suite; must pass before V1 stops
approvals:
  approvers:
    engineering: [change-me]
    operations: [change-me]
    dataQuality: [change-me]

# The monitoring's own error rate, read from each service's /metrics between checks: the
# counters of user requests and of their 5xx answers (selectors sum the series they match).
validation:
  requestsMetric: http_requests_total{path!~"/health|/metrics|/admin.*"}
  errorsMetric: http_requests_total{code=~"5..",path!~"/health|/metrics|/admin.*"}

# Where the prometheus checks ask. Secrets are named by env var, never written here:
#   bearerTokenEnv: PROM_TOKEN   (export PROM_TOKEN=… on the worker)
prometheus:
  address: ${o.prometheus}

# Checks as data (docs/checks/README.md). Each: one provider (http, prometheus, sql, command), the
# moments it runs (shadow, phase5, checkpoint, sentinel, schedule), CEL rules over \`result\` (fail
# first, then warn, then pass), and the report key it feeds. Variables: {{ service }}, {{ version }},
# {{ window }}.
checks:
  - name: health
    report: error_handling
    at: [shadow, phase5, checkpoint, schedule]
    http: { path: /health, expectStatus: 200 }

  - name: error_rate
    report: error_handling
    at: [phase5, checkpoint, sentinel, schedule]
    prometheus:
      # 5xx over user requests only: adapt the metric and labels to what your service exports, and
      # leave out whatever is not traffic (health checks, scrapes, admin calls), or they dilute the
      # rate. Under 100 requests in the window the query gives no data: inconclusive, not a PASS.
      query: >-
        (sum(increase(http_requests_total{service="{{ service }}", code=~"5..",
        path!~"/health|/metrics|/admin.*"}[{{ window }}])) or vector(0))
        / (sum(increase(http_requests_total{service="{{ service }}",
        path!~"/health|/metrics|/admin.*"}[{{ window }}])) >= 100)
      window: 5m
    warn: result.value > 0.001
    fail: result.value > 0.05
    onFail: rollback           # over 5%: roll back at once, the seed's rule
    inconclusive: warn         # too little traffic → WARN, never a silent PASS

  - name: latency_p95
    report: performance
    at: [phase5, checkpoint, schedule]
    prometheus:
      query: >-
        histogram_quantile(0.95, sum by (le)
        (rate(http_request_duration_seconds_bucket{service="{{ service }}"}[{{ window }}])))
      window: 5m
    warn: result.value > 0.1
    fail: result.value > 1.0

  - name: own_validation
    report: data_integrity
    at: [phase5, schedule]
    command:
      argv: [python3, scripts/production_validation.py]
      timeout: 5m
      reportFile: production_validation_report.json
      format: seed-report      # .status and .checks[] become this check's verdict
    fail: result.value.status == "FAIL"
    warn: result.value.status == "WARN"
`;
}
