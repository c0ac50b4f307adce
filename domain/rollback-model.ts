/** The rollback compensation as data, so the cutover can hand it to a workflow of its own. Pure. */
import type { PlanRef } from './cutover-model';
import type { BaselineValues } from './baseline';
import type { CancelRequest } from './cancel-request';

/** What the cutover changed; the rollback undoes them in reverse order of registration. */
export type Compensation = 'startV1' | 'stopV2' | 'switchTrafficToV1' | 'restoreBackup';
export const ALL_COMPENSATIONS: Compensation[] = ['restoreBackup', 'startV1', 'stopV2', 'switchTrafficToV1'];

export interface BackupInfo {
  archive: string;
  sha256: string;
  bytes: number;
  createdAt: string;
}

export interface RollbackInput {
  plan: PlanRef;
  cutoverId?: string;
  reason: string;
  requestedBy?: string;
  /** default: everything (a manual rollback of a cutover whose state is unknown) */
  compensations?: Compensation[];
  /**
   * The backup the cutover recorded; used only when a cutover or its monitoring started this
   * rollback (a parent workflow). A rollback started by hand never restores a path from its input.
   */
  backup?: BackupInfo;
  /** manual rollback: restore this backup label (`cutover rollback --backup LABEL`); default the newest of the plan */
  backupLabel?: string;
  /** V1's KPIs before the cutover, to prove V1 is back as it was */
  baseline?: BaselineValues;
}

export type RollbackStatus = 'RUNNING' | 'ROLLED_BACK' | 'FAILED';
export interface RollbackStep {
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  message?: string;
  durationMs: number;
}
export interface RollbackView {
  status: RollbackStatus;
  reason: string;
  steps: RollbackStep[];
  durationMs?: number;
  message: string;
  /** a cancel request that came while it ran: noted and told, not obeyed */
  cancelRequest?: CancelRequest;
}
