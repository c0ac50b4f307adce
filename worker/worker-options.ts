/** One place that decides how the worker is built, for the process and for the tests alike. */
import path from 'node:path';
import { withCodec } from '../infra/payload-codec';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import { TASK_QUEUE } from '../domain/names';
import { createActivities } from '../activities';

export const WORKFLOWS_PATH = path.resolve(__dirname, '../workflows/index.ts');

export function workerOptions(connection: NativeConnection, namespace: string, overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    connection,
    namespace,
    taskQueue: TASK_QUEUE,
    activities: createActivities({ planBaseDir: process.env.CUTOVER_PLAN_DIR ?? process.cwd() }),
    // In-flight activities get this long to finish (and heartbeat) on SIGINT/SIGTERM; the
    // default 0 would cancel a service stop halfway.
    shutdownGraceTime: (process.env.CUTOVER_SHUTDOWN_GRACE ?? '30s') as Duration,
    ...(overrides.workflowBundle ? {} : { workflowsPath: WORKFLOWS_PATH }),
    // CUTOVER_CODEC_KEYS / _KEY_FILE set: payloads encrypted (infra/payload-codec.ts); else plain JSON
    ...withCodec(),
    ...overrides,
  };
}
