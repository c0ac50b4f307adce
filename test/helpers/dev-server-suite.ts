/**
 * The common setup of a dev-server test file: one real Temporal dev server and one in-process
 * worker (bundle built once) for the whole file, torn down after it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ChildProcess } from 'node:child_process';
import type { CutoverWorkerOptions } from '../../worker/worker-options';
import { bundleWorkflows, createWorker, startDevServer, startTimeSkippingServer } from './temporal-env';
import { killGroup, startWorkerProcess } from './worker-process';

/** `cutover` overrides the worker's plan policy (default for tests: inline plans allowed). */
export function devServerWithWorker(cutover: CutoverWorkerOptions = {}): { readonly env: TestWorkflowEnvironment } {
  const suite = {} as { env: TestWorkflowEnvironment; worker?: Worker; running?: Promise<void> };
  beforeAll(async () => {
    suite.env = await startDevServer();
    suite.worker = await createWorker(suite.env, await bundleWorkflows(), {}, cutover);
    suite.running = suite.worker.run();
  }, 120_000);
  afterAll(async () => {
    suite.worker?.shutdown();
    await suite.running;
    await suite.env?.teardown();
  });
  return suite;
}

/** A dev server whose workers are separate processes the test may SIGKILL. */
export function devServerWithWorkerProcesses(): {
  readonly env: TestWorkflowEnvironment;
  /** `extra`: environment and arguments of that worker (see startWorkerProcess) */
  startWorker(extra?: Parameters<typeof startWorkerProcess>[1]): Promise<ChildProcess>;
  ensureWorker(): Promise<void>;
} {
  const workers: ChildProcess[] = [];
  const suite = {
    env: undefined as unknown as TestWorkflowEnvironment,
    async startWorker(extra?: Parameters<typeof startWorkerProcess>[1]) {
      const child = await startWorkerProcess(suite.env.address, extra);
      workers.push(child);
      return child;
    },
    async ensureWorker() {
      if (!workers.some((w) => w.exitCode === null && w.signalCode === null)) await suite.startWorker();
    },
  };
  beforeAll(async () => {
    suite.env = await startDevServer();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => killGroup(w)));
    await suite.env?.teardown();
  });
  return suite;
}

/**
 * The Java time-skipping test server for the whole file; a worker lives for one `runUntil` (time
 * only skips while the test waits on a workflow), so each test gets its own.
 */
export function timeSkippingWithWorkers(): {
  readonly env: TestWorkflowEnvironment;
  runUntil<T>(fn: () => Promise<T>): Promise<T>;
} {
  let bundle: { code: string };
  const suite = {
    env: undefined as unknown as TestWorkflowEnvironment,
    runUntil: async <T>(fn: () => Promise<T>): Promise<T> => (await createWorker(suite.env, bundle)).runUntil(fn),
  };
  beforeAll(async () => {
    suite.env = await startTimeSkippingServer();
    bundle = await bundleWorkflows();
  }, 120_000);
  afterAll(async () => {
    await suite.env?.teardown();
  });
  return suite;
}
