import path from "node:path";
import os from 'node:os';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { startTimeSkippingServer } from '../test/helpers/temporal-env';
(async () => {
  // The Java server gets 5 s to start; on a loaded machine that is sometimes not enough.
  let env;
  for (let i = 0; !env; i++) env = await startTimeSkippingServer().catch((e) => { if (i >= 8) throw e; return undefined; });
  const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, 'floor-workflow.ts'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never });
  const n = Number(process.argv[2] ?? 300);
  for (const [withLa, extra] of [[false, {}], [true, {}], [true, { reuseV8Context: false }], [true, { maxCachedWorkflows: 10 }]] as const) {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'floor', workflowBundle: bundle, activities: { noop: async () => 1 }, ...extra });
    const t0 = performance.now();
    await worker.runUntil(env.client.workflow.execute('floorWorkflow', { taskQueue: 'floor', workflowId: `floor-${Date.now()}`, args: [n, withLa, {}] }));
    const ms = performance.now() - t0;
    console.log(`withLa=${withLa} ${JSON.stringify(extra)}: ${(ms / n).toFixed(1)} ms/round trip (load ${os.loadavg()[0].toFixed(1)})`);
  }
  await env.teardown();
})();
