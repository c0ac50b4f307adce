/**
 * The cutover worker: one process polling task queue "cutover". Connection from envconfig;
 * a prebuilt workflow bundle is used when CUTOVER_WORKFLOW_BUNDLE names one (production images).
 * SIGINT/SIGTERM shut it down gracefully (the SDK installs those handlers).
 */
import { Worker } from '@temporalio/worker';
import { createLogger } from '../infra/logger';
import { installRuntime } from '../infra/temporal-runtime';
import { connectWorker } from '../infra/temporal-connection';
import { workerOptions } from './worker-options';
import { TASK_QUEUE } from '../domain/names';
import { reapOrphans } from '../activities/child-registry';

async function main() {
  const logger = createLogger('cutover-worker');
  installRuntime(logger, { metricsBindAddress: process.env.CUTOVER_METRICS_ADDRESS });
  // What a previous worker on this host left running (a tar, a test runner) when it died.
  reapOrphans((message) => logger.warn(message));
  const { connection, namespace } = await connectWorker();
  try {
    const bundle = process.env.CUTOVER_WORKFLOW_BUNDLE;
    const worker = await Worker.create(workerOptions(connection, namespace, bundle ? { workflowBundle: { codePath: bundle } } : {}));
    logger.info({ taskQueue: TASK_QUEUE, namespace, pid: process.pid }, 'worker polling');
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
