/**
 * The entry check of every workflow: its input against the schema, and the fields only our own
 * workflows may hand over (a loaded plan, carried state, a backup record, the undo list).
 * A hand-started run must name a plan path and load it; it may not tell the worker what to trust.
 */
import { log, setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import { checkInput, untrustedFields } from '../domain/message-schemas';
import type { MonitoringView } from '../domain/monitoring-model';
import { phaseKey, statusKey } from '../domain/search-attributes';
import { monitoringStatusQuery } from './messages';

/** Why this input is refused, or undefined when the workflow may go on. Pure apart from workflowInfo(). */
export function refuseInput<T extends object>(
  schema: z.ZodType,
  raw: unknown,
  trusted: readonly string[],
  parents: (input: T) => string[],
): string | undefined {
  const checked = checkInput<T>(schema, raw);
  if (!checked.ok) return checked.message;
  const info = workflowInfo();
  return untrustedFields(
    checked.value,
    trusted,
    { parentWorkflowId: info.parent?.workflowId, continuedFromRunId: info.continuedFromExecutionRunId },
    parents(checked.value),
  );
}

/** A monitoring refused at its entry ends FAILED at once, with the reason in status, details and search attributes. */
export function refusedMonitoring(raw: unknown, reason: string): MonitoringView {
  const cutoverId =
    typeof (raw as { cutoverId?: unknown })?.cutoverId === 'string'
      ? (raw as { cutoverId: string }).cutoverId.slice(0, 200)
      : '(unknown)';
  const message = `refused, nothing checked or changed: ${reason}`;
  const view: MonitoringView = {
    cutoverId,
    status: 'FAILED',
    message,
    elapsedMs: 0,
    durationMs: 0,
    uptimePct: 100,
    runs: 1,
    rows: [],
    decisions: [],
    votes: [],
    rejectedVotes: [],
    warnings: [],
  };
  setHandler(monitoringStatusQuery, () => view);
  upsertSearchAttributes([
    { key: statusKey, value: 'FAILED' },
    { key: phaseKey, value: 'monitoring' },
  ]);
  setCurrentDetails(`**FAILED** — ${message}`);
  log.error(`monitoring ${message}`);
  return view;
}
