import pino from 'pino';
import { readManifest } from '../pipeline/manifest';
import { AuditLog } from './audit-log';
import { readConfig } from './config';
import { reloadDataset, type ServiceContext } from './context';
import { FaultState } from './fault-state';
import { faultsFromEnv } from './faults';
import { createMetrics } from './metrics';
import { createDemoServer } from './server';
import { installShutdown } from './shutdown';
import { kpiSnapshot } from './kpi-snapshot';
import { Warehouse } from './warehouse';

/**
 * npx tsx demo/service/main.ts --version v1|v2 --port N --data DIR
 * Exit codes: 0 after a graceful stop, 1 start failure (or the failOnStart fault's default),
 * 2 bad configuration.
 */
const log = pino({
  level: process.env.DEMO_LOG_LEVEL ?? 'info',
  base: { pid: process.pid, service: 'loans-analytics' },
});

function main(): void {
  let config;
  let faults;
  try {
    config = readConfig(process.argv.slice(2), process.env);
    faults = faultsFromEnv(process.env);
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'bad configuration');
    process.exit(2);
  }
  const logger = log.child({ version: config.version });
  if (faults.failOnStart) {
    const code = typeof faults.failOnStart === 'object' ? faults.failOnStart.exitCode : 1;
    logger.fatal({ fault: 'failOnStart', exitCode: code }, 'injected fault: failing on start');
    process.exit(code);
  }
  if (Object.keys(faults).length > 0) logger.warn({ faults }, 'faults active from environment');

  let manifest;
  try {
    manifest = readManifest(config.dataDir);
  } catch (err) {
    logger.fatal({ err: (err as Error).message, dataDir: config.dataDir }, 'cannot read manifest');
    process.exit(1);
  }
  const ctx: ServiceContext = {
    version: config.version,
    dataDir: config.dataDir,
    manifest,
    dataset: null,
    ready: false,
    draining: false,
    startedAt: Date.now(),
    faults: new FaultState(faults),
    audit: new AuditLog(),
    metrics: createMetrics(config.version),
    log: logger,
    warehouse: null,
  };
  if (process.env.DEMO_WAREHOUSE_URL) {
    ctx.warehouse = new Warehouse(
      process.env.DEMO_WAREHOUSE_URL,
      config.version,
      manifest.asOfDate,
      () => (ctx.dataset ? kpiSnapshot(ctx.dataset, ctx.faults.current) : null),
      logger,
      (ok) => ctx.metrics.warehousePublishes.inc({ result: ok ? 'ok' : 'error' }),
    );
  }
  if (faults.auditGap) ctx.audit.skipNext(faults.auditGap);
  const demo = createDemoServer(ctx);
  installShutdown(ctx, demo, config.drainTimeoutMs);

  demo.server.on('error', (err) => {
    logger.fatal({ err: err.message }, 'server error');
    process.exit(1);
  });
  demo.server.listen(config.port, config.host, () => {
    const address = demo.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // The harness reads this line to learn the port when started with --port 0.
    logger.info({ port, host: config.host, dataDir: config.dataDir }, 'listening');
    try {
      reloadDataset(ctx, 'start');
    } catch (err) {
      logger.fatal({ err: (err as Error).message, dataDir: config.dataDir }, 'cannot load dataset');
      process.exit(1);
    }
    ctx.ready = true;
    logger.info({ rows: ctx.dataset?.rows }, 'ready');
    void ctx.warehouse?.publish();
  });
}

main();
