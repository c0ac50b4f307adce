/**
 * The live page's list: running and recent cutovers and monitorings, read from visibility only
 * (one list call, no query per run), so a wall screen polling it costs the server one request
 * whatever the number of runs and shows runs whose worker is down.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { phaseKey, planKey, statusKey } from '../../domain/search-attributes';
import { uiUrl } from '../commands/start';

export interface RunRow {
  workflowId: string;
  kind: 'cutover' | 'monitoring';
  plan?: string;
  /** CutoverStatus as the run last published it (its outcome once it ended) */
  status?: string;
  phase?: string;
  /** the execution's own status: RUNNING, COMPLETED, FAILED, TERMINATED… */
  execution: string;
  running: boolean;
  startedAt: string;
  closedAt?: string;
  ui?: string;
}

const TYPES: Record<string, RunRow['kind']> = { cutoverWorkflow: 'cutover', monitoringWorkflow: 'monitoring' };
export const RUNS_QUERY = Object.keys(TYPES)
  .map((t) => `WorkflowType = '${t}'`)
  .join(' OR ');

export function runRow(info: WorkflowExecutionInfo, namespace: string): RunRow {
  const attrs = info.typedSearchAttributes;
  return {
    workflowId: info.workflowId,
    kind: TYPES[info.type] ?? 'cutover',
    plan: attrs.get(planKey),
    status: attrs.get(statusKey),
    phase: attrs.get(phaseKey),
    execution: info.status.name,
    running: info.status.name === 'RUNNING',
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString(),
    ui: uiUrl(namespace, info.workflowId),
  };
}

/** Running first, then the newest: what a lead looks for on a wall screen. At most `limit`. */
export async function listRuns(client: Client, limit: number): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  // a monitoring that continued as new is listed once per run: its newest run stands for it
  const seen = new Set<string>();
  for await (const info of client.workflow.list({ query: RUNS_QUERY, pageSize: Math.min(limit * 2, 1000) })) {
    if (info.status.name === 'CONTINUED_AS_NEW' || seen.has(info.workflowId)) continue;
    seen.add(info.workflowId);
    rows.push(runRow(info, client.options.namespace));
    if (rows.length >= limit) break;
  }
  return rows.sort((a, b) => Number(b.running) - Number(a.running) || b.startedAt.localeCompare(a.startedAt));
}
