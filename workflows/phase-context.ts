/** What every phase body and strategy receives from the cutover run, and fills in as it goes. */
import type { LoadedPlan } from '../domain/loaded-plan';
import type { BaselineValues } from '../domain/baseline';
import type { BackupInfo, Compensation } from '../domain/rollback-model';
import type { StrategyHooks } from './strategy-traffic';
import type { ValidationBrief } from '../domain/validation-report';

export interface PhaseContext extends StrategyHooks {
  cutoverId: string;
  /** part of backup labels, so a workflow id used again never finds an older run's archive */
  runId: string;
  loaded: LoadedPlan;
  compensations: Compensation[];
  backup?: BackupInfo;
  baseline?: BaselineValues;
  /** the view's list: each production validation's report keys */
  validations: ValidationBrief[];
}
