/**
 * A worker running the prebuilt workflow bundle (worker/build-bundle.ts, CUTOVER_WORKFLOW_BUNDLE:
 * the image and the package) with the codec on: a failure raised by workflow code (the ending of
 * an ABORTED run, whose message quotes the abort reason) is encrypted in the stored history like
 * every other payload, and the CLI with the keys reads it back.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startService } from '../../activities/service-control';
import { codecDataConverter } from '../../infra/payload-codec';
import { viewOrThrow } from '../../domain/outcome';
import type { CutoverView } from '../../domain/cutover-model';
import { startDevServer } from '../helpers/temporal-env';
import { killGroup, startWorkerProcess } from '../helpers/worker-process';
import { createDemoFixture, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { base64Forms, newKeys } from './codec-helpers';

const keys = newKeys();
const NOTE_SECRET = `abort-note-${crypto.randomBytes(6).toString('hex')}`;
const run = promisify(execFile);

let env: TestWorkflowEnvironment;
let worker: ChildProcess | undefined;
let fixture: DemoFixture;
let workflowId: string;
let view: CutoverView;

beforeAll(async () => {
  env = await startDevServer();
  // built as the image builds it, by the script, into a file of this test's own temp dir
  const bundle = path.join(os.tmpdir(), 'workflow-bundle.js');
  await run(process.execPath, ['--import', 'tsx', 'worker/build-bundle.ts', bundle], {
    cwd: REPO,
    maxBuffer: 16 * 1024 * 1024,
  });
  worker = await startWorkerProcess(env.address, {
    env: { CUTOVER_WORKFLOW_BUNDLE: bundle, CUTOVER_CODEC_KEYS: keys },
  });
  fixture = await createDemoFixture();
  await startService(fixture.loaded(), 'v1');
  const client = new Client({
    connection: env.connection,
    namespace: 'default',
    dataConverter: codecDataConverter({ CUTOVER_CODEC_KEYS: keys }),
  });
  const handle = await startCutover(client, fixture.plan);
  workflowId = handle.workflowId;
  await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
  await handle.signal('abort', { reason: NOTE_SECRET, by: 'bob' });
  view = (await handle.result().catch(viewOrThrow)) as CutoverView;
}, 300_000);

afterAll(async () => {
  if (worker) await killGroup(worker);
  await fixture?.cleanup();
  await env?.teardown();
});

test('the run ended by a failure raised in workflow code, whose message quotes the abort reason', async () => {
  expect(view).toMatchObject({ status: 'ABORTED', message: expect.stringContaining(NOTE_SECRET) });
  const { stdout } = await run(path.join(REPO, 'bin/cutover'), ['status', workflowId, '--json'], {
    env: { ...process.env, CUTOVER_CODEC_KEYS: keys, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' },
  });
  expect(JSON.parse(stdout)).toMatchObject({ status: 'ABORTED', message: expect.stringContaining(NOTE_SECRET) });
});

test('raw history (SDK client without the codec): the failure is encoded and encrypted, no clear text of the reason', async () => {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes);
  const failure = failed!.workflowExecutionFailedEventAttributes!.failure!;
  expect(failure.applicationFailureInfo?.type).toBe('CutoverAborted');
  expect(failure.message).toBe('Encoded failure');
  expect(Buffer.from(failure.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  expect(bytes.includes(NOTE_SECRET)).toBe(false);
  for (const form of base64Forms(NOTE_SECRET)) expect(bytes.includes(form)).toBe(false);
});
