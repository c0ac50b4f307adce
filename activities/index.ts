/**
 * Every activity the worker registers, built from its dependencies so tests can build the
 * same set. Workflows import only the `Activities` type from here.
 */
import path from 'node:path';
import type { LoadedPlan } from '../domain/loaded-plan';
import { parseDuration } from '../domain/duration';
import { createPlanActivities, type PlanPolicy } from './plan-loader';
import { checkPrerequisites } from './prerequisites';
import { serviceHealth, startService, stopService } from './service-control';
import { driverFor } from './services/driver-factory';
import {
  backupForCutover,
  chooseManualRollbackBackup,
  findLatestBackup,
  pruneOldBackups,
  restoreBackupArchive,
  verifyBackupArchive,
} from './backup-steps';
import { runTestSuite } from './test-suite';
import { compareChecksWithBaseline, shadowChecks } from './checks/shadow-checks';
import {
  drainTrafficForStop,
  readTrafficState,
  restoreTraffic,
  setTrafficWeights,
  switchTraffic,
  verifyTraffic,
} from './traffic';
import { notify } from './notify';
import { sentinelProbe } from './sentinel';
import { writeMonitoringReport } from './reports/monitoring-report';
import { productionValidation, validateProduction } from './post-cutover-check';
import { writeValidationReport } from './reports/validation-report-file';
import { releasePlanLocks, runningMonitoringOf, takePlanLocks } from './cutover-locks';
import { readCancelRequest } from './cancel-request';
import { runHostChecks } from './checks/providers/command-on-host';
import { canaryAnalysis } from './checks/canary-analysis';

/** what the worker allows: plan folders, inline plans (see plan-loader) */
export type ActivityDeps = PlanPolicy;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanActivities(deps),
    checkPrerequisites,
    serviceHealth,
    startService,
    stopService,
    async describeServices(loaded: LoadedPlan): Promise<string> {
      const states = await Promise.all(
        (['v1', 'v2'] as const).map(async (role) => {
          const spec = loaded.plan.services[role];
          const state = await driverFor(spec, { cwd: loaded.workdir })
            .status()
            .catch((e: Error) => `unknown (${e.message})`);
          return `${role.toUpperCase()} (${spec.name}) ${state}`;
        }),
      );
      return states.join(', ');
    },
    runPlanTests(loaded: LoadedPlan) {
      const { tests } = loaded.plan;
      return runTestSuite({
        command: tests.command,
        cwd: path.resolve(loaded.workdir, tests.cwd ?? '.'),
        timeoutMs: parseDuration(tests.timeout),
      });
    },
    backupForCutover,
    pruneOldBackups,
    findLatestBackup,
    chooseManualRollbackBackup,
    verifyBackupArchive,
    restoreBackupArchive,
    shadowCompare: shadowChecks,
    runHostChecks,
    compareWithBaseline: compareChecksWithBaseline,
    switchTraffic,
    setTrafficWeights,
    drainTrafficForStop,
    restoreTraffic,
    verifyTraffic,
    readTrafficState,
    notify,
    sentinelProbe,
    writeMonitoringReport,
    validateProduction,
    productionValidation,
    canaryAnalysis,
    writeValidationReport,
    takePlanLocks,
    releasePlanLocks,
    runningMonitoringOf,
    readCancelRequest,
  };
}

export type Activities = ReturnType<typeof createActivities>;
