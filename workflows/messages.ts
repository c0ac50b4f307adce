/**
 * Every signal, update and query a person or the CLI can send, defined once. Signal payloads are
 * typed `unknown` on purpose: they come from anyone (UI form, `temporal` CLI), and the handlers
 * read them through domain/message-readers.ts instead of trusting a shape.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Approval, CutoverView } from '../domain/cutover-model';
import type { RollbackView } from '../domain/rollback-model';
import type { MonitoringView } from '../domain/monitoring-model';

/** The caller learns at once whether the vote counted (validator) and the gate's state after it. */
export const approveUpdate = defineUpdate<{ gate: string; outcome?: 'GO' | 'NO_GO' }, [Approval]>('approve');
/** Same payload as the update, for the Temporal UI's "Send a Signal" form; rejected votes are listed in status. */
export const approveSignal = defineSignal<[unknown]>('approveSignal');
/** StopPayload (domain/message-schemas.ts), honoured whatever it carries */
export const abortSignal = defineSignal<[unknown]>('abort');
export const rollbackSignal = defineSignal<[unknown]>('rollback');
/** ResumePayload; a phase that does not exist is rejected (recorded), not thrown */
export const resumeSignal = defineSignal<[unknown]>('resume');

export const statusQuery = defineQuery<CutoverView>('status');
export const rollbackStatusQuery = defineQuery<RollbackView>('status');
export const monitoringStatusQuery = defineQuery<MonitoringView>('status');

/** The validation workflow's own small view: RUNNING, then its result (FAILED: a bad input; CANCELLED: cancelled). */
export interface ValidationStatus {
  status: 'RUNNING' | 'PASS' | 'WARN' | 'FAIL' | 'FAILED' | 'CANCELLED';
  message: string;
  reportPath?: string;
}
export const validationStatusQuery = defineQuery<ValidationStatus>('status');
