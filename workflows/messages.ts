/** Every signal, update and query a person or the CLI can send, defined once. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Approval, CutoverView, PhaseId } from '../domain/cutover-model';
import type { RollbackView } from '../domain/rollback-model';
import type { MonitoringView } from '../domain/monitoring-model';

/** The caller learns at once whether the vote counted (validator) and the gate's state after it. */
export const approveUpdate = defineUpdate<{ gate: string; outcome?: 'GO' | 'NO_GO' }, [Approval]>('approve');
/** Same payload as the update, for the Temporal UI's "Send a Signal" form; rejected votes are listed in status. */
export const approveSignal = defineSignal<[Approval]>('approveSignal');
export const abortSignal = defineSignal<[{ reason?: string; by?: string }]>('abort');
export const rollbackSignal = defineSignal<[{ reason?: string; by?: string }]>('rollback');
export const resumeSignal = defineSignal<[{ phase?: PhaseId; by?: string }]>('resume');

export const statusQuery = defineQuery<CutoverView>('status');
export const rollbackStatusQuery = defineQuery<RollbackView>('status');
export const monitoringStatusQuery = defineQuery<MonitoringView>('status');
