/**
 * The default 24-hour monitoring plan on the Java time-skipping server, against the real demo
 * pipeline: every checkpoint, the sentinel, the decision points waiting and resuming, the final
 * sign-off and the report; and a sentinel rollback when V2's error rate jumps at hour 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { MonitoringView } from '../../domain/monitoring-model';
import { waitFor } from '../helpers/wait-for';
import { bundleWorkflows, createWorker, startTimeSkippingServer } from '../helpers/temporal-env';
import { demoFixturePerTest, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startMonitoring } from '../helpers/after-cutover';
import { viewOrThrow } from '../../domain/outcome';

let env: TestWorkflowEnvironment;
let bundle: { code: string };
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;
const H = 3_600_000;
const M = 60_000;

beforeAll(async () => {
  env = await startTimeSkippingServer();
  bundle = await bundleWorkflows();
}, 120_000);
afterAll(() => env?.teardown());

/** The state right after a successful cutover: V2 serving, V1 stopped, a Phase 1 backup, V1's KPIs as baseline. */
async function afterCutover() {
  // A Node service's resident memory grows as its heap warms up over a day of probes; the seed's
  // ±10% would warn on that alone, so this plan allows 50% and the warning has a test of its own.
  fixture = await fixtures.create({ mutate: (plan) => (plan.thresholds = { latencySamples: 5, memoryDrift: 0.5 }) });
  const handle = await startMonitoring(env.client, fixture);
  return { handle, fixture };
}

const vote = (handle: WorkflowHandle, role: string, approver: string, comment?: string) =>
  handle.executeUpdate('approve', { args: [{ role, approver, decision: 'GO', comment }] });
const status = (handle: WorkflowHandle) => handle.query<MonitoringView>('status');
/**
 * Its status once the decision point is open: the skip lands after the point's time, but on a
 * busy machine the workflow may still be processing the timers it reached (the clock between
 * skips runs at real pace, far from the point's timeout). Sixteen hours of sentinel probes are
 * hundreds of activities and a continue-as-new or two: minutes on a loaded CI machine.
 */
const opened = (handle: WorkflowHandle, label: string) =>
  waitFor(
    `"${label}" open`,
    async () => {
      const view = await status(handle);
      return view.openDecision?.label === label ? view : undefined;
    },
    { timeoutMs: 600_000 },
  );

test(
  'the default 24-hour plan runs every checkpoint, waits at each ' +
    'decision point and ends with the sign-offs and a report',
  async () => {
    const { handle, fixture: f } = await afterCutover();
    const worker = await createWorker(env, bundle);
    // Each skip lands half a minute between sentinel ticks: a vote's workflow task cancels the
    // loop's pending timer, and the Java test server strands a run whose task cancels a timer that
    // fired meanwhile ("invalid history builder state for action", temporalio/sdk-java#3088).
    // Between skips its clock runs at real pace, so 30 s of margin keeps the two apart.
    const HALF = 30_000;
    const view = await worker.runUntil(async () => {
      await env.sleep(61 * M + HALF);
      const hour1 = await opened(handle, 'Hour 1 decision point');
      expect(hour1).toMatchObject({
        status: 'AWAITING_DECISION',
        openDecision: { label: 'Hour 1 decision point', roles: ['engineering'] },
      });
      expect(hour1.rows.map((r) => r.offsetMs)).toEqual([30 * M, 60 * M]);
      await vote(handle, 'engineering', 'alice', 'hour 1 looks clean');
      await env.sleep(7 * H); // 8h01m30s: the hour-8 point opens and is left unanswered (2 h timeout, default continue)
      expect((await opened(handle, 'Hour 8 decision point')).openDecision?.label).toBe('Hour 8 decision point');
      await env.sleep(16 * H); // 24h01m30s: the final sign-off waits for three roles
      const hour24 = await opened(handle, 'Hour 24 final sign-off');
      expect(hour24.openDecision).toMatchObject({
        label: 'Hour 24 final sign-off',
        roles: ['engineering', 'operations', 'dataQuality'],
      });
      await vote(handle, 'engineering', 'alice');
      await vote(handle, 'operations', 'bob');
      await vote(handle, 'dataQuality', 'carol', 'KPIs match week 3');
      return handle.result().catch(viewOrThrow) as Promise<MonitoringView>;
    });

    expect(view.status).toBe('COMPLETED');
    const expected = [
      ...Array.from({ length: 16 }, (_, i) => (i + 1) * 30 * M),
      ...Array.from({ length: 8 }, (_, i) => (10 + 2 * i) * H),
    ];
    expect(view.rows.map((r) => r.offsetMs)).toEqual(expected);
    expect(view.rows.every((r) => r.status === 'PASS')).toBe(true);
    // the spreadsheet's columns are filled in every row, latency included
    for (const row of view.rows)
      expect([row.label, row.latencyMs, row.errorRatePct, row.memoryMb]).toEqual([
        row.label,
        expect.any(Number),
        expect.any(Number),
        expect.any(Number),
      ]);
    expect(view.decisions.map((d) => [d.label, d.outcome, d.via])).toEqual([
      ['Hour 1 decision point', 'continue', 'votes'],
      ['Hour 8 decision point', 'continue', 'timeout-default'],
      ['Hour 24 final sign-off', 'continue', 'votes'],
    ]);
    expect(view.uptimePct).toBe(100);
    // 1,440 sentinel probes do not fit one history: the loop continued as new, carrying its rows.
    expect(view.runs).toBeGreaterThan(1);
    const report = JSON.parse(fs.readFileSync(view.report!.json, 'utf8'));
    expect(report).toMatchObject({ status: 'COMPLETED', uptimePct: 100, errorCount: 0, checkpoints: 24 });
    expect(report.signOffs.map((v: { role: string; approver: string }) => `${v.role}:${v.approver}`)).toEqual([
      'engineering:alice',
      'operations:bob',
      'dataQuality:carol',
    ]);
    const markdown = fs.readFileSync(view.report!.markdown, 'utf8');
    expect(markdown).toContain('# 24-Hour Cutover Complete ✓');
    expect(markdown).toMatch(/- Latency \(first hour → last hour\): [\d.]+ ms → [\d.]+ ms/);
    expect(markdown).toMatch(/\| Hour 24 \(.*\) \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
    const notes = fs.readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8');
    for (const hour of [4, 8, 12, 16, 20, 24]) expect(notes).toContain(`Hour ${hour} checkpoint: all metrics stable ✓`);
    expect(notes).toContain('24-Hour Cutover Complete ✓');
    // One message per state change: never one per probe.
    expect(notes.trim().split('\n').length).toBeLessThan(20);
  },
  1_500_000,
);

test(
  'an error rate over 5% at hour 3 is caught by the sentinel and ' + 'rolled back within two minutes, with V1 serving',
  async () => {
    const { handle, fixture: f } = await afterCutover();
    const worker = await createWorker(env, bundle);
    const view = await worker.runUntil(async () => {
      // Half a minute after the hour-3 validation: only the sentinel can catch it before 3h30m.
      await env.sleep(3 * H + 30_000);
      const res = await fetch(`${f.urls.v2}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errorRate: 0.5 }),
      });
      expect(res.ok).toBe(true);
      return handle.result().catch(viewOrThrow) as Promise<MonitoringView>;
    });
    expect(view.status).toBe('ROLLED_BACK');
    expect(view.rollback!.reason).toMatch(/^Hour 3\.0\d sentinel: error rate \d+\.\d+% over 5%: immediate rollback/);
    expect(view.rollback!.startedOffsetMs).toBeGreaterThan(3 * H);
    expect(view.rollback!.startedOffsetMs).toBeLessThanOrEqual(3 * H + 30_000 + 2 * M);
    expect(view.rollback!.status).toBe('ROLLED_BACK');
    expect(await isUp(f.urls.v1)).toBe(true);
    expect(await isUp(f.urls.v2)).toBe(false);
  },
  300_000,
);
