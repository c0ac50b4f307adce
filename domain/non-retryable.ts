/**
 * Failure types no retry can fix (config and state errors). Activities also throw them as
 * non-retryable; naming them in the retry policy keeps workflows right even if one forgets.
 */
import { FailureType, type FailureTypeName } from './failure-types';

export const NON_RETRYABLE: FailureTypeName[] = [
  FailureType.InvalidPlan,
  FailureType.PrerequisiteFailed,
  FailureType.ServiceStillRunning,
  FailureType.KpiMismatch,
  FailureType.ValidationFailed,
  FailureType.BackupNotFound,
  FailureType.BackupCorrupt,
  FailureType.InvalidBackupConfig,
  FailureType.TestSuiteFailed,
  FailureType.InvalidTestConfig,
  FailureType.InvalidServiceConfig,
  FailureType.TrafficNotVerified,
  FailureType.RouterConfigRejected,
  FailureType.InvalidTrafficConfig,
  FailureType.InvalidLockConfig,
];
