/**
 * The receiver behind `cutover alert-webhook`: POST /alerts takes Alertmanager's webhook
 * notifications and sends the rollback signal (the one `cutover rollback` sends) to the running
 * monitoring or cutover each firing alert names. Guarded by a shared bearer token, which is what
 * Alertmanager's `http_config.authorization` sends. Every answer says what was done and why.
 */
import http from 'node:http';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { alertmanagerPayloadSchema, decideAlert, type AlertTarget } from '../domain/alert-rollback';
import { describeIssues, rollbackPayloadSchema } from '../domain/message-schemas';
import { workflowIds } from '../domain/names';
import type { CodecServerAuth } from '../infra/codec-server-auth';
import { HttpError, readBody } from '../infra/codec-server';

const MAX_BODY_BYTES = 1024 * 1024;
/** Who the workflows record as having asked for the rollback. */
export const ALERT_SENDER = 'alertmanager';

export interface AlertResult {
  alert: string;
  action: 'rollback sent' | 'ignored' | 'nothing running';
  workflowIds?: string[];
  why?: string;
}

/** The running monitorings and cutovers a target names. */
async function runningTargets(client: Client, target: AlertTarget): Promise<string[]> {
  if ('plan' in target) {
    const query =
      `WorkflowType IN ('cutoverWorkflow', 'monitoringWorkflow') AND ` +
      `ExecutionStatus = 'Running' AND CutoverPlan = '${target.plan}'`;
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  }
  const { cutoverId } = target;
  const candidates = cutoverId.endsWith('-monitoring') ? [cutoverId] : [cutoverId, workflowIds.monitoring(cutoverId)];
  const running = await Promise.all(
    candidates.map((id) =>
      client.workflow
        .getHandle(id)
        .describe()
        .then(
          (d) => (d.status.name === 'RUNNING' && ['cutoverWorkflow', 'monitoringWorkflow'].includes(d.type) ? id : ''),
          () => '',
        ),
    ),
  );
  return running.filter(Boolean);
}

const describeTarget = (t: AlertTarget) => ('plan' in t ? `plan ${t.plan}` : `cutover ${t.cutoverId}`);

export async function handleNotification(client: Client, body: unknown, severities: readonly string[]) {
  const parsed = alertmanagerPayloadSchema.safeParse(body);
  if (!parsed.success)
    throw new HttpError(400, `not an Alertmanager webhook notification: ${describeIssues(parsed.error, 'body')}`);
  const results: AlertResult[] = [];
  for (const alert of parsed.data.alerts) {
    const decision = decideAlert(alert, severities);
    if (decision.action === 'ignore') {
      results.push({ alert: decision.alert, action: 'ignored', why: decision.why });
      continue;
    }
    const ids = await runningTargets(client, decision.target);
    if (!ids.length) {
      results.push({
        alert: decision.alert,
        action: 'nothing running',
        why: `no running cutover or monitoring of ${describeTarget(decision.target)}: nothing done`,
      });
      continue;
    }
    const signal = rollbackPayloadSchema.parse({ reason: decision.reason, by: ALERT_SENDER });
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).signal('rollback', signal)));
    results.push({ alert: decision.alert, action: 'rollback sent', workflowIds: ids, why: decision.reason });
  }
  // 404 when alerts named runs and none was running: Alertmanager logs it (and does not retry a 4xx)
  const status =
    results.some((r) => r.action === 'nothing running') && !results.some((r) => r.action === 'rollback sent')
      ? 404
      : 200;
  return { status, results };
}

export function createAlertWebhookServer(opts: {
  client: Client;
  severities: readonly string[];
  auth: CodecServerAuth;
  logger: Logger;
}): http.Server {
  const answer = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  return http.createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'POST' || req.url?.split('?')[0] !== '/alerts')
          throw new HttpError(404, 'POST Alertmanager notifications to /alerts');
        const verdict = await opts.auth.check(req.headers.authorization);
        if (!verdict.ok) throw new HttpError(verdict.status, verdict.reason);
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
        } catch (err) {
          if (err instanceof HttpError) throw err;
          throw new HttpError(400, 'body is not JSON: expected an Alertmanager webhook notification');
        }
        const { status, results } = await handleNotification(opts.client, body, opts.severities);
        opts.logger.info({ results }, 'alert notification');
        answer(res, status, { results });
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 500;
        const error = err instanceof Error ? err.message : String(err);
        opts.logger.warn({ status, error }, 'alert notification refused');
        answer(res, status, { error });
      }
    })();
  });
}
