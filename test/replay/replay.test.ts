/**
 * Recorded histories of real runs (the demo cutover, a rolled-back cutover, its rollback, the
 * first minutes of a monitoring loop) replayed against today's workflow code: a change that
 * would break a cutover or a 24-hour monitoring already running fails here, not in production.
 * The tests that make those runs record them with CUTOVER_RECORD_HISTORIES=1
 * (test/helpers/record-history.ts). (protobufjs is a direct dependency so that one copy
 * is shared by @temporalio/proto and /common: with two copies, reading JSON histories fails.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows, installTestRuntime } from '../helpers/temporal-env';

const dir = path.join(__dirname, 'histories');
// Workflows derive ids from their own (rollback = <cutover id>-rollback): replay under the recorded id.
const workflowIds: Record<string, string> = JSON.parse(fs.readFileSync(path.join(dir, 'workflow-ids.json'), 'utf8'));
const files = Object.keys(workflowIds);
let bundle: { code: string };

beforeAll(async () => {
  installTestRuntime();
  bundle = await bundleWorkflows();
});

test('there are recorded histories of every workflow type to replay', () => {
  const types = files.map(
    (f) =>
      JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes
        .workflowType.name,
  );
  expect(new Set(types)).toEqual(
    new Set(['cutoverWorkflow', 'rollbackWorkflow', 'monitoringWorkflow', 'validationWorkflow']),
  );
});

test.each(files)('%s replays deterministically on the current workflow code', async (file) => {
  const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowIds[file]);
});
