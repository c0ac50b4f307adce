import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process; default metrics give process memory, CPU, heap and event-loop lag. */
export interface ServiceMetrics {
  registry: Registry;
  requestDuration: Histogram<'route' | 'method' | 'status'>;
  /** `kind`: user, probe (/health), scrape (/metrics) or admin; only `user` is traffic (routes.ts) */
  requests: Counter<'route' | 'method' | 'status' | 'kind'>;
  errors: Counter<'route' | 'status' | 'kind'>;
  kpiCompute: Histogram<'by'>;
  rows: Gauge;
  inFlight: Gauge;
  ready: Gauge;
  warehousePublishes: Counter<'result'>;
}

export function createMetrics(version: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'loans-analytics', version });
  collectDefaultMetrics({ register: registry });
  const m: ServiceMetrics = {
    registry,
    requestDuration: new Histogram({
      name: 'demo_http_request_duration_seconds',
      help: 'HTTP request latency by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    requests: new Counter({
      name: 'demo_http_requests_total',
      help: 'HTTP requests by route, method, status and kind (user traffic, ' + 'probe, scrape, admin)',
      labelNames: ['route', 'method', 'status', 'kind'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'demo_http_errors_total',
      help: 'HTTP responses with status >= 500, by route, status and kind',
      labelNames: ['route', 'status', 'kind'],
      registers: [registry],
    }),
    kpiCompute: new Histogram({
      name: 'demo_kpi_compute_seconds',
      help: 'Time to compute KPIs over the loaded portfolio',
      labelNames: ['by'],
      registers: [registry],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    }),
    inFlight: new Gauge({
      name: 'demo_http_in_flight_requests',
      help: 'Requests being handled, not counting /metrics scrapes',
      registers: [registry],
    }),
    rows: new Gauge({ name: 'demo_dataset_rows', help: 'Rows loaded', registers: [registry] }),
    warehousePublishes: new Counter({
      name: 'demo_warehouse_publishes_total',
      help: 'KPI result publishes to the warehouse (DEMO_WAREHOUSE_URL), by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    ready: new Gauge({
      name: 'demo_ready',
      help: '1 when serving, 0 while loading or draining',
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'demo_service_info',
    help: 'Always 1; labels say which version runs',
    labelNames: ['pipeline'],
    registers: [registry],
  }).set({ pipeline: version }, 1);
  return m;
}
