/** One place that decides how the worker is built, for the process and for the tests alike. */
import path from 'node:path';
import { workerDataConverter } from '../infra/payload-codec';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import type { Duration, WorkerDeploymentVersion } from '@temporalio/common';
import { TASK_QUEUE, hostQueue } from '../domain/names';
import { createActivities, type ActivityDeps } from '../activities';
import { tuningFromEnv } from './worker-tuning';
import { WORKFLOWS_PATH, sharedModules } from './bundle-options';
import { deploymentOptions } from './deployment';

export { WORKFLOWS_PATH } from './bundle-options';

/**
 * The worker's plan policy from its environment: CUTOVER_PLAN_DIR is a list of folders
 * (separated by "${path.delimiter}"; default the working directory) and inline plans in workflow
 * input need CUTOVER_ALLOW_INLINE_PLANS=1, because an inline plan runs its commands on this host.
 */
export function planPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  const dirs = (env.CUTOVER_PLAN_DIR ?? '').split(path.delimiter).filter((d) => d.trim());
  return {
    planDirs: dirs.length ? dirs.map((d) => path.resolve(d)) : [process.cwd()],
    allowInlinePlans: env.CUTOVER_ALLOW_INLINE_PLANS === '1',
  };
}

export interface CutoverWorkerOptions {
  /** default: CUTOVER_PLAN_DIR, else the working directory */
  planDirs?: string[];
  /** default: CUTOVER_ALLOW_INLINE_PLANS=1 */
  allowInlinePlans?: boolean;
  /** the worker deployment version to join (worker/build-id.ts); default: an unversioned worker */
  version?: WorkerDeploymentVersion;
}

export function workerOptions(
  connection: NativeConnection,
  namespace: string,
  overrides: Partial<WorkerOptions> = {},
  cutover: CutoverWorkerOptions = {},
): WorkerOptions {
  const fromEnv = planPolicyFromEnv();
  return {
    connection,
    namespace,
    taskQueue: TASK_QUEUE,
    activities: createActivities({
      planDirs: cutover.planDirs ?? fromEnv.planDirs,
      allowInlinePlans: cutover.allowInlinePlans ?? fromEnv.allowInlinePlans,
    }),
    // In-flight activities get this long to finish (and heartbeat) on SIGINT/SIGTERM; the
    // default 0 would cancel a service stop halfway.
    shutdownGraceTime: (process.env.CUTOVER_SHUTDOWN_GRACE ?? '30s') as Duration,
    // bundled here unless prebuilt; domain, zod and @noble shared by all workflows (bundle-options.ts)
    ...(overrides.workflowBundle
      ? {}
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: sharedModules() } }),
    // what a workflow cannot decode it refuses; CUTOVER_CODEC_KEYS / _KEY_FILE set: payloads encrypted
    dataConverter: workerDataConverter(),
    // CUTOVER_MAX_CACHED_WORKFLOWS, _WORKFLOW_TASK_SLOTS…: capacity for many monitorings (worker-tuning.ts)
    ...tuningFromEnv(),
    ...(cutover.version ? { workerDeploymentOptions: deploymentOptions(cutover.version) } : {}),
    ...overrides,
  };
}

/**
 * What only the machine itself can do: its services, its backups, its router, the facts
 * Phase 0 checks on it (paths, disk, artifact), V2's test suite, the teams' command checks.
 */
export const HOST_LOCAL_ACTIVITIES = [
  'startService',
  'stopService',
  'serviceHealth',
  'backupForCutover',
  'pruneOldBackups',
  'findLatestBackup',
  'chooseManualRollbackBackup',
  'verifyBackupArchive',
  'restoreBackupArchive',
  'switchTraffic',
  'setTrafficWeights',
  'drainTrafficForStop',
  'restoreTraffic',
  'verifyTraffic',
  'readTrafficState',
  'checkPrerequisites',
  'runPlanTests',
  'runHostChecks',
] as const;

/**
 * A host agent (`cutover worker --host NAME`): polls only `cutover-host-NAME`, runs no workflows
 * and only the host-local activities, so a step meant for another machine can never run here.
 */
export function hostAgentOptions(
  connection: NativeConnection,
  namespace: string,
  host: string,
  cutover: CutoverWorkerOptions = {},
): WorkerOptions {
  const fromEnv = planPolicyFromEnv();
  const all = createActivities({
    planDirs: cutover.planDirs ?? fromEnv.planDirs,
    allowInlinePlans: cutover.allowInlinePlans ?? fromEnv.allowInlinePlans,
  });
  return {
    connection,
    namespace,
    taskQueue: hostQueue(host),
    activities: Object.fromEntries(HOST_LOCAL_ACTIVITIES.map((name) => [name, all[name]])),
    shutdownGraceTime: (process.env.CUTOVER_SHUTDOWN_GRACE ?? '30s') as Duration,
    dataConverter: workerDataConverter(),
    // the orchestrator's build: a pinned run's host steps go to the agent of that same build
    ...(cutover.version ? { workerDeploymentOptions: deploymentOptions(cutover.version) } : {}),
  };
}
