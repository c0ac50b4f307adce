/**
 * Failure types thrown by activities (and by workflows for a step they end) as `ApplicationFailure.type`.
 * One module, pure, so workflows (retry policies) and activities share it and tests can assert `failure.type`.
 */
export const FailureType = {
  /** the plan file is missing or invalid; every problem is listed with its path */
  InvalidPlan: 'InvalidPlan',
  /** a Phase 0 prerequisite is not met (path, disk, artifact, V1 health) */
  PrerequisiteFailed: 'PrerequisiteFailed',
  /** a stopped service still answers its health URL */
  ServiceStillRunning: 'ServiceStillRunning',
  /** V2's KPIs differ from the baseline by more than the plan's tolerance */
  KpiMismatch: 'KpiMismatch',
  /** production validation returned FAIL */
  ValidationFailed: 'ValidationFailed',
  /** no backup to restore from */
  BackupNotFound: 'BackupNotFound',
  /** the archive is missing or its checksum differs: restoring it would lose data */
  BackupCorrupt: 'BackupCorrupt',
  /** tar failed or the backup could not be written */
  BackupFailed: 'BackupFailed',
  /** backup paths/label are unusable (missing, absolute, escaping cwd) */
  InvalidBackupConfig: 'InvalidBackupConfig',
  /** the suite ran and reported failures, found no tests, exited non-zero or timed out */
  TestSuiteFailed: 'TestSuiteFailed',
  /** the test command could not be started (program not found) */
  InvalidTestConfig: 'InvalidTestConfig',
  /** the service exited during start or its manager refused to start it */
  ServiceStartFailed: 'ServiceStartFailed',
  /** the service could not be stopped, even by force */
  ServiceStopFailed: 'ServiceStopFailed',
  /** the service did not answer its health URL with 2xx before the deadline */
  ServiceUnhealthy: 'ServiceUnhealthy',
  /** the traffic pointer file exists but is not a pointer this tool wrote: which upstream is live is unknown */
  TrafficPointerCorrupt: 'TrafficPointerCorrupt',
  /** after a switch the public address did not answer from the new version in time */
  TrafficNotVerified: 'TrafficNotVerified',
  /** the router refused the new config (`nginx -t`) or the command; nothing was changed */
  RouterConfigRejected: 'RouterConfigRejected',
  /** the router cannot be reached or driven as the plan says (socket, backend, server names, driver limits) */
  InvalidTrafficConfig: 'InvalidTrafficConfig',
  /** the lock namespace does not exist or cannot be used (see domain/lock-keys.ts) */
  InvalidLockConfig: 'InvalidLockConfig',
  /** the service spec cannot work (bad unit name, program not on PATH) */
  InvalidServiceConfig: 'InvalidServiceConfig',
  /** no agent of the plan's host picked up a host step within plan.hostWait (thrown by the workflow) */
  HostUnavailable: 'HostUnavailable',
  /** a vote by update that the gate refuses (wrong role, not an approver, bad signature): final for that vote */
  ApprovalRejected: 'ApprovalRejected',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];
