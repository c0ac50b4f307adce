/** validationWorkflow on the real dev server against the real demo V2: silent on PASS, loud on FAIL. */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TASK_QUEUE } from '../../domain/names';
import { statusKey } from '../../domain/search-attributes';
import { captureBaseline } from '../../activities/checks/baseline-store';
import type { ValidationInput, ValidationResult } from '../../workflows/validation';
import { recordHistory } from '../helpers/record-history';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import type { DemoFixture } from '../helpers/demo-fixture';
import { cleanupDemos, runningDemo, setFaults } from '../validation/validation-helpers';
import { viewOrThrow } from '../../domain/outcome';
import { WorkflowFailedError } from '@temporalio/client';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let seq = 0;

beforeAll(() => (env = suite.env));
afterEach(cleanupDemos);

async function validate(f: DemoFixture, input: Partial<ValidationInput> = {}) {
  const handle = await env.client.workflow.start('validationWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `validation-test-${process.pid}-${++seq}`,
    args: [{ plan: f.plan, ...input }],
  });
  let failure: unknown;
  const result = (await handle.result().catch((err) => viewOrThrow((failure = err)))) as ValidationResult;
  const described = await handle.describe();
  const searchStatus = described.typedSearchAttributes.get(statusKey);
  return { handle, result, searchStatus, execution: described.status.name, failure };
}

const notifications = (f: DemoFixture) => {
  const file = path.join(f.workdir, 'notifications.log');
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
};

test(
  'a clean V2 checked against V1 KPIs passes, writes its report ' + 'named after the run, and notifies nobody',
  async () => {
    const f = await runningDemo({ v1: true });
    const { values: baseline } = await captureBaseline(f.loaded(), 'v1');
    const { handle, result, searchStatus, execution } = await validate(f, { baseline });

    expect(result.status).toBe('PASS');
    expect(execution).toBe('COMPLETED');
    expect(result.summary).toMatch(/^PASS: kpi_calculations PASS \(max 0\.0000%\)/);
    expect(result.report.target).toMatchObject({ role: 'v2', name: 'loans-v2' });
    expect(result.reportPath).toBe(path.join(f.workdir, 'reports', `${handle.workflowId}.json`));
    expect(JSON.parse(fs.readFileSync(result.reportPath, 'utf8'))).toMatchObject({
      status: 'PASS',
      checks: { audit_trail: { status: 'PASS' } },
    });
    expect(searchStatus).toBe('PASS');
    expect(notifications(f)).toEqual([]);
    recordHistory(env.address, handle.workflowId, 'validation-pass.json');
  },
);

test('without a baseline the run completes WARN and sends one warning naming the KPI check', async () => {
  const f = await runningDemo();
  const { result, searchStatus, execution } = await validate(f);
  expect(result.status).toBe('WARN');
  expect(searchStatus).toBe('WARN');
  expect(execution).toBe('COMPLETED');
  const sent = notifications(f);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({
    severity: 'warning',
    text: expect.stringMatching(
      /WARN: kpi_calculations: inconclusive: no baseline: nothing recorded from V1 for kpi_calculations /,
    ),
  });
});

test(
  'an audit gap in V2 makes the run FAIL (the execution ends FAILED, ValidationFail, carrying the report) ' +
    'with one critical notification naming audit_trail',
  async () => {
    const f = await runningDemo();
    const { values: baseline } = await captureBaseline(f.loaded(), 'v2');
    await setFaults(f.urls.v2, { auditGap: 5 });
    const { handle, result, searchStatus, execution, failure } = await validate(f, { baseline });

    expect(result.status).toBe('FAIL');
    expect(result.report.checks.audit_trail.status).toBe('FAIL');
    expect(searchStatus).toBe('FAIL');
    // a FAIL of the service, not a run that validated nothing (that one is ValidationNotRun)
    expect(execution).toBe('FAILED');
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({
      type: 'ValidationFail',
      nonRetryable: true,
      message: `FAIL: ${result.summary}`.slice(0, 2_000),
    });
    expect(JSON.parse(fs.readFileSync(result.reportPath, 'utf8')).status).toBe('FAIL');
    const sent = notifications(f);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ severity: 'critical', key: `${handle.workflowId}:validation` });
    expect(sent[0].text).toMatch(/loans-v2 \(v2\) FAILED: audit_trail: fail: result\.value\.lastSeq == 0 \|\| /);
    expect(sent[0].text).toContain(result.reportPath);
  },
);

test('an injected error rate makes the run FAIL on error_handling and says so in its one notification', async () => {
  const f = await runningDemo();
  const { values: baseline } = await captureBaseline(f.loaded(), 'v2');
  await setFaults(f.urls.v2, { errorRate: 0.5 });
  const { result } = await validate(f, { baseline });

  expect(result.status).toBe('FAIL');
  expect(result.report.checks.error_handling.status).toBe('FAIL');
  const sent = notifications(f);
  expect(sent).toHaveLength(1);
  expect(sent[0].text).toMatch(/FAILED: .*error_handling: error_rate: fail: result\.value\.requests != null/);
});
