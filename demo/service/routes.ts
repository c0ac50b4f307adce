import { GROUP_DIMENSIONS, type GroupDimension } from '../pipeline/loan-schema';
import { handleFaultsDelete, handleFaultsGet, handleFaultsPost } from './admin-routes';
import type { ServiceContext } from './context';
import { driftResult } from './faults';
import { checkQuery, ClientError, json, nonNegativeInt, type Handler } from './http-util';
import { breakdowns } from './kpi-snapshot';

/**
 * `faults`: whether injected latency / errors apply. /metrics and /admin stay clean so an operator
 * can always observe and clear a misbehaving service. `audited`: whether requests are written to the
 * audit trail; health probes, scrapes and audit reads are not, or polling would drown the trail.
 * `kind`: what the request is, the `kind` label of the request and error counters. Only `user`
 * requests are traffic: a router checking /health four times a second, a scraper and an operator
 * at /admin would otherwise outnumber the users and dilute their error rate.
 */
export type RequestKind = 'user' | 'probe' | 'scrape' | 'admin';
export interface Route {
  methods: Record<string, Handler>;
  latency: boolean;
  errors: boolean;
  audited: boolean;
  kind: RequestKind;
}

function requireReady(ctx: ServiceContext): NonNullable<ServiceContext['dataset']> {
  if (!ctx.ready || !ctx.dataset) throw new ClientError(503, ctx.draining ? 'draining' : 'not ready');
  return ctx.dataset;
}

const health: Handler = (ctx, _req, query) => {
  checkQuery(query, []);
  const body = {
    status: ctx.draining ? 'draining' : ctx.ready ? 'ok' : 'starting',
    version: ctx.version,
    ready: ctx.ready && !ctx.draining,
    rows: ctx.dataset?.rows ?? 0,
    uptimeSec: Math.round((Date.now() - ctx.startedAt) / 100) / 10,
  };
  return json(body.ready ? 200 : 503, body);
};

const kpis: Handler = (ctx, _req, query) => {
  checkQuery(query, ['by']);
  const byRaw = query.get('by');
  if (byRaw !== null && !(GROUP_DIMENSIONS as readonly string[]).includes(byRaw)) {
    throw new ClientError(400, `invalid value for query parameter "by"`, {
      parameter: 'by',
      value: byRaw,
      allowed: GROUP_DIMENSIONS,
    });
  }
  const by = (byRaw ?? undefined) as GroupDimension | undefined;
  const dataset = requireReady(ctx);
  const started = process.hrtime.bigint();
  const result = driftResult(dataset.computeKpis(by), ctx.faults.current);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  ctx.metrics.kpiCompute.observe({ by: by ?? 'none' }, seconds);
  ctx.audit.append('compute', { by: by ?? null, rows: dataset.rows, durationMs: seconds * 1000 });
  // breakdowns: every dimension at once, so one answer can be compared group by group
  return json(200, {
    version: ctx.version,
    rows: dataset.rows,
    ...(by ? { by } : {}),
    ...result,
    breakdowns: breakdowns(dataset, ctx.faults.current),
  });
};

const metrics: Handler = async (ctx, _req, query) => {
  checkQuery(query, []);
  ctx.metrics.ready.set(ctx.ready && !ctx.draining ? 1 : 0);
  return { status: 200, body: await ctx.metrics.registry.metrics(), contentType: ctx.metrics.registry.contentType };
};

const audit: Handler = (ctx, _req, query) => {
  checkQuery(query, ['after', 'limit']);
  const after = nonNegativeInt(query, 'after', 0);
  const limit = nonNegativeInt(query, 'limit', 1000, 10_000);
  return json(200, { events: ctx.audit.after(after, limit), lastSeq: ctx.audit.lastSeq });
};

const integrity: Handler = (ctx, _req, query) => {
  checkQuery(query, []);
  const dataset = requireReady(ctx);
  return json(200, { version: ctx.version, ...dataset.integrity(ctx.manifest) });
};

export const ROUTES: Record<string, Route> = {
  '/health': { methods: { GET: health }, latency: true, errors: false, audited: false, kind: 'probe' },
  '/kpis': { methods: { GET: kpis }, latency: true, errors: true, audited: true, kind: 'user' },
  '/metrics': { methods: { GET: metrics }, latency: false, errors: false, audited: false, kind: 'scrape' },
  '/audit': { methods: { GET: audit }, latency: true, errors: true, audited: false, kind: 'user' },
  '/integrity': { methods: { GET: integrity }, latency: true, errors: true, audited: true, kind: 'user' },
  '/admin/faults': {
    methods: { GET: handleFaultsGet, POST: handleFaultsPost, DELETE: handleFaultsDelete },
    latency: false,
    errors: false,
    audited: true,
    kind: 'admin',
  },
};
