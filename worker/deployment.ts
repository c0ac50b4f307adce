/**
 * Worker Versioning: every worker joins the worker deployment "cutover" with the build id of its
 * code (worker/build-id.ts), cutovers and rollbacks stay PINNED to the build that started them,
 * and a monitoring moves to the current build at its next continue-as-new (workflows/index.ts,
 * workflows/monitoring.ts).
 */
import type { NativeConnection } from '@temporalio/worker';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { Logger } from 'pino';
import { TASK_QUEUE } from '../domain/names';
import { DeploymentConfigError } from './build-id';

export const deploymentOptions = (version: WorkerDeploymentVersion) => ({
  version,
  useWorkerVersioning: true as const,
  defaultVersioningBehavior: 'PINNED' as const,
});

const flags = (v: WorkerDeploymentVersion) => `--deployment-name ${v.deploymentName} --build-id ${v.buildId}`;
export const pinnedQuery = (v: WorkerDeploymentVersion) =>
  `TemporalWorkerDeploymentVersion = "${v.deploymentName}:` + `${v.buildId}" AND ExecutionStatus = "Running"`;

/** The exact commands that move runs pinned to `from` onto `to`. */
export function moveCommand(from: WorkerDeploymentVersion, to: WorkerDeploymentVersion): string {
  return (
    `temporal workflow update-options --query '` +
    `${pinnedQuery(from)}' --versioning-override-behavior pinned ` +
    `--versioning-override-deployment-name ${to.deploymentName} ` +
    `--versioning-override-build-id ${to.buildId} --yes`
  );
}

const seconds = (t?: { seconds?: unknown } | null) => Number(t?.seconds ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface JoinOptions {
  connection: NativeConnection;
  namespace: string;
  version: WorkerDeploymentVersion;
  logger: Logger;
  /** CUTOVER_SET_CURRENT: "auto" (default) makes the newest build current; "manual" leaves routing to the operator */
  policy?: 'auto' | 'manual';
  /** how long to wait for the server to see this worker's pollers */
  waitMs?: number;
}

export function currentPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): 'auto' | 'manual' {
  const raw = env.CUTOVER_SET_CURRENT?.trim() || 'auto';
  if (raw !== 'auto' && raw !== 'manual')
    throw new DeploymentConfigError(
      `CUTOVER_SET_CURRENT="${raw}": expected auto (default: the ` + `newest build becomes current) or manual`,
    );
  return raw;
}

export interface JoinResult {
  current: boolean;
  /** runs pinned to other builds of the deployment, by build id (first ids, total) */
  pinnedElsewhere: { buildId: string; count: number; ids: string[] }[];
}

/**
 * Run by the orchestration worker once it polls. The first build of a deployment must be made
 * current before any workflow runs (the server routes new runs to the current version only; with
 * none, a started cutover waits for ever): with policy "auto" the worker does that, and a build
 * newer than the current one (first seen by the server later) takes over, so an upgrade in place
 * needs no manual step. An older build restarting never takes routing back. Then it says which
 * running workflows are pinned to other builds: they run only on a worker of their build.
 */
export async function joinDeployment(o: JoinOptions): Promise<JoinResult> {
  const { workflowService } = o.connection;
  const { deploymentName, buildId } = o.version;
  const ns = o.namespace;
  const deadline = Date.now() + (o.waitMs ?? 30_000);
  let info;
  let conflictToken: Uint8Array | undefined;
  // This worker's own pollers, not only the version: a host agent of the build may have created
  // it first, and a build made current before its queues are registered is refused.
  const polling = async () => {
    const { workerDeploymentVersionInfo: v } = await workflowService.describeWorkerDeploymentVersion({
      namespace: ns,
      deploymentVersion: o.version,
    });
    const queues = v?.taskQueueInfos ?? [];
    // TASK_QUEUE_TYPE_WORKFLOW and _ACTIVITY: the orchestration worker polls both
    return [1, 2].every((type) => queues.some((q) => q.name === TASK_QUEUE && q.type === type));
  };
  for (;;) {
    try {
      // the deployment (and its conflict token) read after the poller is seen, for the set-current below
      if (await polling()) {
        const described = await workflowService.describeWorkerDeployment({ namespace: ns, deploymentName });
        info = described.workerDeploymentInfo;
        conflictToken = described.conflictToken ?? undefined;
        if (info?.versionSummaries?.some((v) => v.deploymentVersion?.buildId === buildId)) break;
      }
    } catch (err) {
      if ((err as { code?: number }).code !== 5 /* NOT_FOUND: no poll reached the server yet */) throw err;
    }
    if (Date.now() > deadline)
      throw new DeploymentConfigError(
        `the server did not register build ${buildId} of deployment ` +
          `${deploymentName} polling task queue ${TASK_QUEUE} within ${o.waitMs ?? 30_000} ms: does it ` +
          `support Worker Versioning (Temporal 1.28+)? Else run with CUTOVER_WORKER_VERSIONING=0`,
      );
    await sleep(200);
  }
  const current = info!.routingConfig?.currentDeploymentVersion ?? undefined;
  const created = (id?: string | null) =>
    seconds(info!.versionSummaries?.find((v) => v.deploymentVersion?.buildId === id)?.createTime);
  let isCurrent = current?.buildId === buildId;
  const setCurrent = `temporal worker deployment set-current-version ${flags(o.version)}`;
  if (!isCurrent && (o.policy ?? 'auto') === 'manual') {
    o.logger.warn(
      { deploymentName, buildId, current: current?.buildId },
      `build ${buildId} is not the current version ` +
        `(CUTOVER_SET_CURRENT=manual): new workflows go to ` +
        `${current?.buildId ?? 'no build (they wait)'}; to route them ` +
        `here: ${setCurrent}`,
    );
  } else if (!isCurrent && current?.buildId && created(current.buildId) > created(buildId)) {
    o.logger.warn(
      { deploymentName, buildId, current: current.buildId },
      `build ${current.buildId} is newer and current: this build ` +
        `serves only the runs pinned to it; stop it once they finished ` +
        `(temporal worker deployment describe-version ` +
        `${flags(o.version)} says drained)`,
    );
  } else if (!isCurrent) {
    try {
      await workflowService.setWorkerDeploymentCurrentVersion({
        namespace: ns,
        deploymentName,
        buildId,
        conflictToken,
        identity: `cutover-worker ${buildId}`,
      });
      isCurrent = true;
      o.logger.info(
        { deploymentName, buildId, previous: current?.buildId },
        `build ${buildId} is now the current version of deployment ` +
          `${deploymentName}${current?.buildId ? ` (was ${current.buildId})` : ''}`,
      );
    } catch (err) {
      // e.g. a host agent of the current build polls a queue no agent of this build polls yet
      o.logger.error(
        { deploymentName, buildId, current: current?.buildId },
        `build ${buildId} could not become current: ` +
          `${(err as Error).message}. Start this build's host agents too, ` +
          `then: ${setCurrent}`,
      );
    }
  }
  const pinnedElsewhere: JoinResult['pinnedElsewhere'] = [];
  for (const summary of info!.versionSummaries ?? []) {
    const other = summary.deploymentVersion;
    if (!other?.buildId || other.buildId === buildId) continue;
    const from = { deploymentName, buildId: other.buildId };
    const { count } = await workflowService.countWorkflowExecutions({ namespace: ns, query: pinnedQuery(from) });
    if (!Number(count)) continue;
    const { executions } = await workflowService.listWorkflowExecutions({
      namespace: ns,
      query: pinnedQuery(from),
      pageSize: 5,
    });
    const ids = executions.map((e) => e.execution?.workflowId ?? '?');
    pinnedElsewhere.push({ buildId: other.buildId, count: Number(count), ids });
    if (!isCurrent) continue;
    o.logger.warn(
      { deploymentName, buildId, pinnedTo: other.buildId, count: Number(count), ids },
      `${count} running workflow(s) are pinned to build ` +
        `${other.buildId} (${ids.join(', ')}` +
        `${Number(count) > ids.length ? ', …' : ''}) and run only on a ` +
        `worker of that build. ` +
        (`If none runs any more (an upgrade in place), start one until ` +
          `they finish (temporal worker deployment describe-version ` +
          `--deployment-name ${deploymentName} --build-id ${other.buildId} ` +
          `says drained), `) +
        (`or, once the replay suite shows this build replays their ` +
          `histories, move them here: ${moveCommand(from, o.version)}`),
    );
  }
  return { current: isCurrent, pinnedElsewhere };
}
