/** The one place each workflow type turns its final view into how the run ends (domain/outcome.ts). */
import { ApplicationFailure } from '@temporalio/workflow';
import { outcomeEnd, type WorkflowKind } from '../domain/outcome';

export function endWith<V extends { status: string; message?: string; summary?: string }>(
  kind: WorkflowKind,
  view: V,
): V {
  const end = outcomeEnd(kind, view);
  if (!end) return view;
  throw ApplicationFailure.create({ type: end.type, message: end.message, nonRetryable: true, details: [view] });
}
