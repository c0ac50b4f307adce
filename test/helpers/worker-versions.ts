/**
 * Worker Versioning in tests: versioned worker processes (one build each, their log kept) and
 * which build and which process served each task of a run, read from its history.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { startWorkerProcess } from './worker-process';
import { REPO } from './demo-fixture';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface VersionedWorker {
  child: ChildProcess;
  build: string;
  /** the SDK's default worker identity, as history records it: pid@hostname */
  identity: string;
  /** the "msg" of every log line so far */
  messages: () => string[];
}

/** A worker process of `build` in deployment `deployment` (a host agent with `host`), CUTOVER_SET_CURRENT=auto. */
export async function startVersionedWorker(
  address: string,
  o: { deployment: string; build: string; host?: string; runDir: string },
): Promise<VersionedWorker> {
  let out = '';
  const child = await startWorkerProcess(address, {
    args: o.host ? ['--host', o.host] : [],
    env: {
      CUTOVER_WORKER_VERSIONING: '1',
      CUTOVER_DEPLOYMENT_NAME: o.deployment,
      CUTOVER_BUILD_ID: o.build,
      CUTOVER_SET_CURRENT: 'auto',
      CUTOVER_RUN_DIR: o.runDir,
    },
    onOutput: (text) => (out += text),
  });
  const messages = () =>
    out.split('\n').flatMap((line) => {
      try {
        return [String((JSON.parse(line) as { msg?: unknown }).msg)];
      } catch {
        return [];
      }
    });
  return { child, build: o.build, identity: `${child.pid}@${os.hostname()}`, messages };
}

export async function historyOf(client: Client, workflowId: string, runId?: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
}

/** Each completed workflow task: "<build id of the deployment version> <identity>". */
export const workflowTasks = (events: HistoryEvent[]): string[] =>
  events
    .map((e) => e.workflowTaskCompletedEventAttributes)
    .filter((a): a is NonNullable<typeof a> => !!a)
    .map((a) => `${a.deploymentVersion?.buildId ?? 'unversioned'} ${a.identity}`);

/** Each started activity (recorded when it ended): type, task queue, identity of the worker that ran it. */
export function activityTasks(events: HistoryEvent[]): { type: string; queue: string; identity: string }[] {
  const scheduled = new Map(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!]),
  );
  return events
    .map((e) => e.activityTaskStartedEventAttributes)
    .filter((a): a is NonNullable<typeof a> => !!a)
    .map((a) => {
      const s = scheduled.get(String(a.scheduledEventId))!;
      return { type: s.activityType!.name!, queue: s.taskQueue!.name!, identity: a.identity! };
    });
}

/** The current version's build id of a worker deployment, from the server. */
export async function currentBuild(client: Client, deploymentName: string): Promise<string | undefined> {
  const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
    namespace: 'default',
    deploymentName,
  });
  return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? undefined;
}

/** A shell command line (as an operator pastes it, `temporal` on PATH) run against the test's server. */
export function runShell(address: string, line: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', line],
      {
        env: {
          ...process.env,
          PATH: `${path.join(REPO, '.tools/bin')}${path.delimiter}${process.env.PATH}`,
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: 'default',
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}
