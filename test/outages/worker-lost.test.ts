/**
 * A worker (a real separate process) SIGKILLed during Phase 2's test run and started again: the
 * run is retried on the new worker (it was lost, not red), the status says why, the orphaned
 * test runner of the dead worker is killed by the new one, and the cutover ends SUCCESS.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService } from '../../activities/service-control';
import { startTicks } from '../../activities/child-registry';
import { demoFixturePerTest, isUp, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { killGroup } from '../helpers/worker-process';
import { devServerWithWorkerProcesses } from '../helpers/dev-server-suite';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { retryLines } from '../../client/render-retries';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorkerProcesses();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
beforeAll(() => (env = suite.env));

// The worker processes run in the repo root: their run folder is .data/run there.
const childrenDir = path.join(REPO, '.data/run/activity-children');
const testRunners = () =>
  (fs.existsSync(childrenDir) ? fs.readdirSync(childrenDir) : [])
    .map(
      (f) =>
        JSON.parse(fs.readFileSync(path.join(childrenDir, f), 'utf8')) as {
          pid: number;
          startTicks: string;
          what: string;
        },
    )
    .filter((r) => r.what.startsWith('test suite:'));

test(
  'a worker killed during Phase 2 tests and restarted: the run is ' +
    'retried, the cause is shown, the cutover ends SUCCESS',
  async () => {
    fixture = await fixtures.create({ testSuite: 'quick' }); // the kill must land while the suite runs;
    await startService(fixture.loaded(), 'v1');
    const first = await suite.startWorker();
    const handle = await startCutover(env.client, fixture.plan, { autoApprove: true });
    await waitForStatus(handle, (v) => v.currentPhase === 'phase2');
    // Wait until the test runner is running (recorded), then kill the worker like a crashed host.
    let runner: { pid: number; startTicks: string } | undefined;
    while (!(runner = testRunners().find((r) => startTicks(r.pid) === r.startTicks)))
      await new Promise((r) => setTimeout(r, 100));
    await killGroup(first);
    // The test runner lives in its own process group: it outlived the worker ...
    expect(startTicks(runner.pid)).toBe(runner.startTicks);
    await suite.startWorker();
    // ... and the new worker killed it before polling.
    expect(startTicks(runner.pid)).toBeUndefined();

    // While the retry runs, the pending activity says why it is a second attempt.
    const causes = new Set<string>();
    const result = handle.result().catch(viewOrThrow) as Promise<CutoverView>;
    let finished = false;
    void result.finally(() => (finished = true));
    while (!finished) {
      // What `cutover status` prints under the phases (client/render-retries.ts).
      for (const line of await retryLines(handle)) causes.add(line);
      await new Promise((r) => setTimeout(r, 250));
    }
    const view = await result;
    expect(view.status).toBe('SUCCESS');
    expect(view.phases.find((p) => p.id === 'phase2')!.message).toMatch(/tests PASSED/);
    expect(
      [...causes].some((c) =>
        /^ {2}↻ runPlanTests attempt 2\/3: worker lost during the test run.*, retrying 2\/3$/.test(c),
      ),
    ).toBe(true);
    expect(await isUp(fixture.urls.v2)).toBe(true);
    // The test run was the step retried: attempt 2 on the new worker, scheduled once.
    const history = await handle.fetchHistory();
    const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes);
    const scheduled = history.events!.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'runPlanTests',
    );
    expect(scheduled).toHaveLength(1);
    const testAttempts = started.filter(
      (e) => e.activityTaskStartedEventAttributes!.scheduledEventId?.toString() === scheduled[0].eventId?.toString(),
    );
    expect(testAttempts.map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([2]);
  },
  180_000,
);
