/**
 * Failure types no retry can fix (config and state errors). Activities also throw them as
 * non-retryable; listing them here keeps workflows right even if one forgets. Mirrors
 * activities/failure-types.ts, which workflow code cannot import (it is not a pure module path).
 */
export const NON_RETRYABLE = [
  'InvalidPlan',
  'PrerequisiteFailed',
  'ServiceStillRunning',
  'KpiMismatch',
  'ValidationFailed',
  'BackupNotFound',
  'BackupCorrupt',
  'InvalidBackupConfig',
  'TestSuiteFailed',
  'InvalidTestConfig',
  'InvalidServiceConfig',
];
