/**
 * Demo cutover and rollback timings (a benchmark, not a test: the figures depend on the machine).
 *   npx tsx bench/cutover.ts [--runs 5]
 * On a fresh dev server with an in-process worker, against the real demo pipeline (5,000 loans):
 * - cutover: start → SUCCESS, auto-approved, the demo's quick test gate included;
 * - orchestration overhead: cutover time minus the time spent inside activities (from history),
 *   and where the cutover's time goes (bench/history-breakdown.ts), median per part over the runs;
 * - rollback: rollback workflow start → V1 healthy (its own durationMs), triggered by a KPI drift
 *   injected into V2 before Phase 5.
 */
import { startService } from '../activities/service-control';
import type { CutoverView } from '../domain/cutover-model';
import type { RollbackView } from '../domain/rollback-model';
import { bundleWorkflows, createWorker, startDevServer } from '../test/helpers/temporal-env';
import { createDemoFixture } from '../test/helpers/demo-fixture';
import { startCutover, waitForStatus } from '../test/helpers/cutover-runner';
import { viewOrThrow } from '../domain/outcome';
import { breakdown, PARTS, type Breakdown } from './history-breakdown';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t?: { seconds?: unknown; nanos?: number | null } | null) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

async function main() {
  const env = await startDevServer();
  const worker = await createWorker(env, await bundleWorkflows());
  const totals: number[] = [];
  const overheads: number[] = [];
  const rollbacks: number[] = [];
  const parts: Breakdown[] = [];
  const clientMs: number[] = [];
  await worker.runUntil(async () => {
    for (let i = 0; i < runs; i++) {
      const fixture = await createDemoFixture({ testSuite: 'quick' });
      try {
        await startService(fixture.loaded(), 'v1');
        const t0 = performance.now();
        const handle = await startCutover(env.client, fixture.plan, { autoApprove: true });
        const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
        const total = performance.now() - t0;
        if (view.status !== 'SUCCESS') throw new Error(`run ${i}: ${view.status} ${view.message}`);
        const events = (await handle.fetchHistory()).events ?? [];
        const started = new Map<string, number>();
        let inActivities = 0;
        for (const e of events) {
          if (e.activityTaskStartedEventAttributes)
            started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), ms(e.eventTime));
          const done = e.activityTaskCompletedEventAttributes;
          if (done) inActivities += ms(e.eventTime) - (started.get(String(done.scheduledEventId)) ?? ms(e.eventTime));
        }
        totals.push(total);
        overheads.push(total - inActivities);
        parts.push(breakdown(events));
        clientMs.push(total - (ms(events.at(-1)?.eventTime) - ms(events[0]?.eventTime)));
      } finally {
        await fixture.cleanup();
      }
      const fixture2 = await createDemoFixture({ testSuite: 'quick' });
      try {
        await startService(fixture2.loaded(), 'v1');
        const handle = await startCutover(env.client, fixture2.plan, { autoApprove: true, holdBefore: ['phase5'] });
        await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
        await fetch(`${fixture2.urls.v2}/admin/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"kpiDrift":{"kpi":"all","relative":0.1}}',
        });
        await handle.signal('resume', { phase: 'phase5' });
        const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
        const rollback = (await env.client.workflow
          .getHandle(view.rollback!.workflowId)
          .result()
          .catch(viewOrThrow)) as RollbackView;
        if (rollback.status !== 'ROLLED_BACK') throw new Error(`rollback: ${rollback.message}`);
        rollbacks.push(rollback.durationMs!);
      } finally {
        await fixture2.cleanup();
      }
      process.stderr.write(`run ${i + 1}/${runs} done\n`);
    }
  });
  await env.teardown();
  const f = (x: number) => `${(x / 1000).toFixed(2)} s`;
  console.log(
    `demo cutover (phases 0–5, auto-approve, quick test gate): ` +
      `median ${f(median(totals))} over ${runs} runs (goal ≤ 20 s)`,
  );
  console.log(`orchestration overhead (cutover minus time inside activities): median ${f(median(overheads))}`);
  console.log(`\nwhere the cutover's time goes (median per part over ${runs} runs):\n`);
  console.log('| part | median | share |\n|---|---|---|');
  const row = (name: string, values: number[]) =>
    console.log(`| ${name} | ${f(median(values))} | ${((median(values) / median(totals)) * 100).toFixed(1)}% |`);
  for (const part of PARTS)
    row(
      part,
      parts.map((b) => b.ms[part]),
    );
  row('client: start request and result (outside the history)', clientMs);
  const last = parts.at(-1)!;
  console.log(
    `\nper cutover: ${last.workflowTasks} workflow tasks, ${last.activities} activities, ` +
      `${last.localActivities} local activities, ${last.timers} timers, ${last.children} child workflows`,
  );
  console.log(
    `activities: ${Object.entries(last.activityTypes)
      .map(([type, n]) => `${type}${n > 1 ? ` ×${n}` : ''}`)
      .join(', ')}\n`,
  );
  console.log(
    `rollback (rollback workflow start → V1 healthy): median ` +
      `${f(median(rollbacks))} over ${runs} runs (goal ≤ 5 s; seed: < ` +
      `5 min)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
