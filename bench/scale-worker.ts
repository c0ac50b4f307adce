/**
 * The worker under test for bench/scale.ts, in its own process so that its CPU and RSS are its
 * own (not the bench client's, not the demo services'). Built exactly as worker/main.ts builds it
 * (workerOptions: CUTOVER_* capacity variables included, prebuilt bundle from
 * CUTOVER_WORKFLOW_BUNDLE), plus one activity interceptor that measures the sentinel's
 * local-activity schedule-to-start where it starts, sent to the parent over IPC once a second.
 */
import os from 'node:os';
import { Context } from '@temporalio/activity';
import { Worker, type ActivityInboundCallsInterceptor, type ActivityExecuteInput, type Next } from '@temporalio/worker';
import { workerOptions } from '../worker/worker-options';
import { installRuntime } from '../infra/temporal-runtime';
import { createLogger } from '../infra/logger';
import { connectWorker } from '../infra/temporal-connection';

let pending: [number, number][] = [];
class Measure implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
    const info = Context.current().info;
    if (info.isLocal) pending.push([Date.now(), Date.now() - info.currentAttemptScheduledTimestampMs]);
    return next(input);
  }
}

async function main() {
  // warnings only: a log line per task would be the bench measuring its own logging
  installRuntime(createLogger('scale-worker', undefined, 'warn'));
  const { connection, namespace } = await connectWorker();
  const worker = await Worker.create(
    workerOptions(
      connection,
      namespace,
      {
        workflowBundle: { codePath: process.env.CUTOVER_WORKFLOW_BUNDLE! },
        interceptors: { activity: [() => ({ inbound: new Measure() })] },
      },
      { allowInlinePlans: true, planDirs: [os.tmpdir()] },
    ),
  );
  const {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions,
    maxConcurrentLocalActivityExecutions,
    maxConcurrentWorkflowTaskPolls,
    stickyQueueScheduleToStartTimeoutMs,
    workflowThreadPoolSize,
  } = worker.options as unknown as Record<string, unknown>;
  process.send!({
    ready: {
      maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions,
      maxConcurrentLocalActivityExecutions,
      maxConcurrentWorkflowTaskPolls,
      stickyQueueScheduleToStartTimeoutMs,
      workflowThreadPoolSize,
    },
  });
  setInterval(() => {
    if (pending.length && process.connected) process.send!({ la: pending });
    pending = [];
  }, 1000).unref();
  // the main thread's own heap, to tell it from the workflow thread's and the native (Core) part
  // With --expose-gc (--node-args): after a full collection of the main thread, so what it keeps shows, not its
  // garbage.
  process.on('message', (m: { memory?: boolean }) => {
    if (!m.memory) return;
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ memory: process.memoryUsage() });
  });
  process.on('disconnect', () => worker.shutdown());
  await worker.run();
  await connection.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
