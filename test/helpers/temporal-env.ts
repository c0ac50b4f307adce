/**
 * Real Temporal servers for tests, never downloaded: the official CLI's dev server and the Java
 * time-skipping test server, both installed by scripts/install-tools.sh into .tools/bin.
 * CUTOVER_TEMPORAL_CLI / CUTOVER_TEST_SERVER point at other binaries; with neither found and
 * CUTOVER_ALLOW_DOWNLOAD=1 the SDK's own download is used (machines with internet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkerOptions } from '@temporalio/worker';
import { phaseKey, planKey, statusKey } from '../../domain/search-attributes';
import { lockNamespace } from '../../domain/lock-keys';
import { createLogger } from '../../infra/logger';
import { installRuntime } from '../../infra/temporal-runtime';
import { workerOptions, type CutoverWorkerOptions } from '../../worker/worker-options';
import { workflowBundleOptions } from '../../worker/bundle-options';

const TOOLS_BIN = path.resolve(__dirname, '../../.tools/bin');
export const SEARCH_ATTRIBUTE_KEYS = [phaseKey, statusKey, planKey];

function executable(envVar: string, name: string) {
  const file = process.env[envVar] ?? path.join(TOOLS_BIN, name);
  if (fs.existsSync(file)) return { type: 'existing-path' as const, path: file };
  if (process.env.CUTOVER_ALLOW_DOWNLOAD === '1') return undefined;
  throw new Error(`${file} not found: run scripts/install-tools.sh (or set ${envVar})`);
}

export function installTestRuntime(): void {
  process.env.CUTOVER_LOG_PRETTY ??= '0';
  installRuntime(
    createLogger('test', process.env.CUTOVER_TEST_LOG ? undefined : ({ write: () => undefined } as never)),
  );
}

/**
 * The SDK's core gives a server it starts 5 s to answer (hard-coded in its ephemeral_server) and
 * kills it after that; a JVM or a dev server starting while the machine is busy can take longer,
 * so a start that timed out is tried again.
 */
async function withStartRetries(start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= 4 || !/did not start within/.test(String((err as Error)?.message))) throw err;
    }
  }
}

/** `ui`: serve the Web UI too (on uiPort), for tests that open it in a browser. */
export async function startDevServer(
  extraArgs: string[] = ['--log-level', 'error'],
  ui: { uiPort?: number } = {},
): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  return withStartRetries(() =>
    TestWorkflowEnvironment.createLocal({
      // the plan locks' own namespace (domain/lock-keys.ts); the time-skipping server takes any namespace
      server: {
        executable: executable('CUTOVER_TEMPORAL_CLI', 'temporal'),
        ip: '127.0.0.1',
        searchAttributes: SEARCH_ATTRIBUTE_KEYS,
        extraArgs: [...extraArgs, '--namespace', lockNamespace('default')],
        ...(ui.uiPort ? { ui: true, uiPort: ui.uiPort } : {}),
      },
    }),
  );
}

/** The Java test server knows only a fixed set of search attributes: ours are added here. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const env = await withStartRetries(() =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: executable('CUTOVER_TEST_SERVER', 'temporal-test-server') },
    }),
  );
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, 2 /* KEYWORD */])),
  });
  return env;
}

export function bundleWorkflows() {
  return bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error } as never,
  });
}

/**
 * Test workers accept inline plans (the fixtures hand each test's plan over in the workflow
 * input) and plan files from the repo and the temp dir (where the fixtures write them).
 */
export async function createWorker(
  env: TestWorkflowEnvironment,
  bundle: { code: string },
  overrides: Partial<WorkerOptions> = {},
  cutover: CutoverWorkerOptions = {},
) {
  return Worker.create(
    workerOptions(
      env.nativeConnection,
      env.namespace ?? 'default',
      { workflowBundle: bundle, ...overrides },
      { allowInlinePlans: true, planDirs: [process.cwd(), os.tmpdir()], ...cutover },
    ),
  );
}
