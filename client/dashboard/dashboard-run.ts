/**
 * One run as the live page shows it: read exactly as `cutover status` reads it (readWorkflow:
 * the result of an ended run, the `status` query of a live one, decoded by the CLI's data
 * converter), then shaped for the browser: phases, the open decision with who still has to sign
 * and how, and a cutover's monitoring with its spreadsheet and charts.
 */
import type { Client } from '@temporalio/client';
import type { CutoverView, PhaseView, RecordedApproval } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import { GO_NO_GO_GATE, voteInstructions, type OpenDecisionView } from '../../domain/open-decision';
import { readWorkflow, closedLine } from '../read-view';
import { UI_URL_HINT, uiUrl } from '../commands/start';
import { monitoringPanel, type MonitoringPanel } from './dashboard-monitoring';

export interface DecisionPanel {
  workflowId: string;
  label: string;
  roles: string[];
  /** roles with no vote yet at this decision */
  stillToSign: string[];
  votes: { role: string; approver: string; decision: string; at: string }[];
  deadlineAt?: string;
  windowMs?: number;
  onTimeout?: string;
  cli: { role: string; command: string; noGo: string }[];
  ui: string;
}

export interface RunDetail {
  workflowId: string;
  kind: 'cutover' | 'monitoring' | 'other';
  running: boolean;
  status: string;
  message: string;
  /** how the run ended when it left no view of its own (terminated, timed out…) */
  ended?: string;
  ui?: string;
  uiHint?: string;
  phases?: Pick<PhaseView, 'title' | 'state' | 'durationMs' | 'message'>[];
  /** what a held cutover waits for, with the command that moves it on */
  next?: string;
  openDecision?: DecisionPanel;
  monitoring?: MonitoringPanel;
  /** the cutover a monitoring belongs to */
  cutoverId?: string;
}

export function decisionPanel(
  d: Pick<OpenDecisionView, 'label' | 'roles'> & Partial<OpenDecisionView>,
  workflowId: string,
  gate: string,
  votes: RecordedApproval[],
): DecisionPanel {
  const cast = votes.filter((v) => v.gate === gate);
  const how = voteInstructions({ ...d, workflowId: d.workflowId ?? workflowId, signed: !!d.signed });
  return {
    workflowId: d.workflowId ?? workflowId,
    label: d.label,
    roles: d.roles,
    stillToSign: d.roles.filter((r) => !cast.some((v) => v.role === r)),
    votes: cast.map(({ role, approver, decision, at }) => ({ role, approver, decision, at })),
    deadlineAt: d.deadlineAt,
    windowMs: d.windowMs,
    onTimeout: d.onTimeout,
    cli: how.cli,
    ui: how.ui,
  };
}

const ACTIVE_MONITORING = ['MONITORING', 'AWAITING_DECISION'];

export async function readRunDetail(client: Client, id: string): Promise<RunDetail> {
  const read = await readWorkflow<unknown>(client, id);
  const ui = uiUrl(client.options.namespace, id);
  const base = {
    workflowId: id,
    running: read.running,
    ended: read.closed ? closedLine(read.closed) : undefined,
    ui,
    uiHint: ui ? undefined : UI_URL_HINT,
  };
  if (read.type === 'monitoringWorkflow' && read.view) {
    const view = read.view as MonitoringView;
    return {
      ...base,
      kind: 'monitoring',
      status: view.status,
      message: view.message,
      cutoverId: read.parent ?? view.cutoverId,
      monitoring: monitoringPanel(view, id, ui),
      openDecision:
        view.openDecision && ACTIVE_MONITORING.includes(view.status)
          ? decisionPanel(view.openDecision, id, view.openDecision.label, view.votes)
          : undefined,
    };
  }
  if (read.type === 'cutoverWorkflow' && read.view) {
    const view = read.view as CutoverView;
    const monitoring = view.monitoringWorkflowId
      ? await readRunDetail(client, view.monitoringWorkflowId).catch(() => undefined)
      : undefined;
    return {
      ...base,
      kind: 'cutover',
      status: view.status,
      message: view.message,
      phases: view.phases.map(({ title, state, durationMs, message }) => ({ title, state, durationMs, message })),
      next: view.heldBefore
        ? `held before ${view.heldBefore}: \`cutover resume ${view.cutoverId}\` (or Signal → name \`resume\`)`
        : undefined,
      openDecision: view.openDecision
        ? decisionPanel(view.openDecision, id, GO_NO_GO_GATE, view.approvals)
        : monitoring?.openDecision,
      monitoring: monitoring?.monitoring,
    };
  }
  return {
    ...base,
    kind: read.type === 'monitoringWorkflow' ? 'monitoring' : read.type === 'cutoverWorkflow' ? 'cutover' : 'other',
    status: read.closed?.status ?? (read.running ? 'RUNNING' : 'ENDED'),
    message: base.ended ?? `${read.type}: no status to show`,
  };
}
