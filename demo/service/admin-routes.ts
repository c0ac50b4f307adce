import { z } from 'zod';
import { reloadDataset, type ServiceContext } from './context';
import { FaultsPatchSchema, type Faults } from './faults';
import { checkQuery, ClientError, json, readJsonBody, type Handler, type Reply } from './http-util';

/**
 * /admin/faults: GET shows, POST merges a JSON patch (null removes one fault), DELETE clears all.
 * Row faults act at load time, so changing them reloads the data dir right away; failOnStart can
 * only act at start and is refused here.
 */
function view(ctx: ServiceContext): Reply {
  const warehouse = ctx.warehouse ? { warehouse: ctx.warehouse.status } : {};
  return json(200, {
    faults: ctx.faults.current,
    status: ctx.faults.status(),
    rows: ctx.dataset?.rows ?? 0,
    ...warehouse,
  });
}

function afterChange(ctx: ServiceContext, before: Faults, action: string): Reply {
  const now = ctx.faults.current;
  if (now.auditGap !== undefined && now.auditGap !== before.auditGap) ctx.audit.skipNext(now.auditGap);
  const rowsChanged = before.lostRows !== now.lostRows || before.duplicatedRows !== now.duplicatedRows;
  if (rowsChanged && ctx.dataset) reloadDataset(ctx, `row faults changed by ${action}`);
  ctx.log.warn({ faults: now, action }, 'faults changed');
  // the figures may have changed (a drift, a reload): publish them, as a recompute would
  void ctx.warehouse?.publish();
  return view(ctx);
}

export const handleFaultsGet: Handler = (ctx, _req, query) => {
  checkQuery(query, []);
  return view(ctx);
};

export const handleFaultsPost: Handler = async (ctx, req, query) => {
  checkQuery(query, []);
  const body = await readJsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientError(400, 'request body must be a JSON object of faults');
  }
  if ('failOnStart' in body) {
    throw new ClientError(400, 'failOnStart only acts at process start; set DEMO_FAULTS or DEMO_FAULT_FAIL_ON_START', {
      field: 'failOnStart',
    });
  }
  const parsed = FaultsPatchSchema.safeParse(body);
  if (!parsed.success) throw new ClientError(400, 'invalid faults', { issues: z.prettifyError(parsed.error) });
  const before = ctx.faults.patch(parsed.data);
  return afterChange(ctx, before, 'POST /admin/faults');
};

export const handleFaultsDelete: Handler = (ctx, _req, query) => {
  checkQuery(query, []);
  const before = ctx.faults.clear();
  return afterChange(ctx, before, 'DELETE /admin/faults');
};
