/**
 * The cutover worker: one process polling task queue "cutover". Connection from envconfig;
 * a prebuilt workflow bundle is used when CUTOVER_WORKFLOW_BUNDLE names one (production images).
 * SIGINT/SIGTERM shut it down gracefully (the SDK installs those handlers).
 */
import { Worker } from '@temporalio/worker';
import { CodecConfigError, loadCodecKeys } from '../infra/codec-config';
import { createLogger } from '../infra/logger';
import { installRuntime } from '../infra/temporal-runtime';
import { connectWorker } from '../infra/temporal-connection';
import { hostAgentOptions, planPolicyFromEnv, workerOptions } from './worker-options';
import { TASK_QUEUE, hostQueue } from '../domain/names';
import { reapOrphans } from '../activities/child-registry';
import { WorkerTuningError, tuningFromEnv } from './worker-tuning';
import { DeploymentConfigError, workerVersion } from './build-id';
import { currentPolicyFromEnv, joinDeployment } from './deployment';
import { Client } from '@temporalio/client';
import { connectClient } from '../infra/temporal-connection';
import { codecDataConverter } from '../infra/payload-codec';
import { RunMetricsConfigError, runMetricsFromEnv, serveRunMetrics } from './run-metrics';

/** `--host NAME` (or CUTOVER_HOST): a host agent for that machine instead of the orchestration worker. */
function hostArg(argv = process.argv.slice(2), env = process.env): string | undefined {
  const at = argv.indexOf('--host');
  const host = at >= 0 ? argv[at + 1] : env.CUTOVER_HOST || undefined;
  if (host !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(host))
    throw new Error(`--host: "${host}" is not a host name as plans write it ` + `(letters, digits, ".", "_", "-")`);
  return host;
}

async function main() {
  const host = hostArg();
  const logger = createLogger(host ? `cutover-host-agent` : 'cutover-worker');
  installRuntime(logger, { metricsBindAddress: process.env.CUTOVER_METRICS_ADDRESS });
  // a bad capacity variable (CUTOVER_MAX_CACHED_WORKFLOWS…) stops it here too, before it connects
  tuningFromEnv();
  // the same for the deployment settings (CUTOVER_BUILD_ID…)
  const version = workerVersion();
  const policy = currentPolicyFromEnv();
  // and the run metrics' address (CUTOVER_RUN_METRICS_ADDRESS…): the orchestration worker only
  const runMetrics = host ? undefined : runMetricsFromEnv();
  logger.info(
    { deploymentName: version?.deploymentName, buildId: version?.buildId ?? 'unversioned' },
    `build ${version?.buildId ?? 'unversioned'}`,
  );
  // a bad key setting stops the worker here, before it connects
  logger.info({ payloadCodec: loadCodecKeys()?.[0]?.id ?? 'off' }, 'payload codec (current key id)');
  // What a previous worker on this host left running (a tar, a test runner) when it died.
  reapOrphans((message) => logger.warn(message));
  const { connection, namespace } = await connectWorker();
  let stopRunMetrics: (() => Promise<void>) | undefined;
  try {
    if (runMetrics) {
      const reader = await connectClient();
      const dataConverter = codecDataConverter();
      const client = dataConverter
        ? new Client({ connection: reader.client.connection, namespace, dataConverter })
        : reader.client;
      const served = await serveRunMetrics(client, runMetrics, logger);
      stopRunMetrics = async () => {
        await served.stop();
        await reader.close();
      };
    }
    const bundle = process.env.CUTOVER_WORKFLOW_BUNDLE;
    const worker = await Worker.create(
      host
        ? hostAgentOptions(connection, namespace, host, { version })
        : workerOptions(connection, namespace, bundle ? { workflowBundle: { codePath: bundle } } : {}, { version }),
    );
    const running = worker.run();
    // Before "worker polling": a workflow started after that line must find a current version.
    if (version && !host)
      await Promise.race([joinDeployment({ connection, namespace, version, logger, policy }), running]);
    const { planDirs, allowInlinePlans } = planPolicyFromEnv();
    logger.info(
      {
        taskQueue: host ? hostQueue(host) : TASK_QUEUE,
        host,
        namespace,
        planDirs,
        allowInlinePlans,
        buildId: version?.buildId,
        pid: process.pid,
      },
      'worker polling',
    );
    await running;
    logger.info('worker stopped');
  } finally {
    await stopRunMetrics?.();
    await connection.close();
  }
}

/** The worker process, for `cutover worker` and `node worker/main.ts`: resolves when it has stopped. */
export function runWorker(): Promise<void> {
  return main().catch((err) => {
    // a bad key setting is a config mistake: its message says what to fix, a stack adds nothing
    console.error(
      err instanceof CodecConfigError ||
        err instanceof WorkerTuningError ||
        err instanceof DeploymentConfigError ||
        err instanceof RunMetricsConfigError
        ? `cutover-worker: ${err.message}`
        : err,
    );
    process.exit(1);
  });
}

if (require.main === module) void runWorker();
