/**
 * The monitoring loop reading a plan's data checks on a service that is not the demo, on the dev
 * server with a plan of seconds: a memory leak is flagged by the trend within the first readings
 * of a plan far shorter than the seed's hour; a check with onFail: rollback rolls back once it has
 * failed failureLimit times in a row, and not before. Each checkpoint leaves its own report file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { MonitoringView } from '../../domain/monitoring-model';
import { TASK_QUEUE } from '../../domain/names';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { uniqueId } from '../helpers/cutover-runner';
import { loadInlinePlan } from '../../activities/plan-loader';
import { startService, stopService } from '../../activities/service-control';
import { backupForCutover } from '../../activities/backup-steps';
import { viewOrThrow } from '../../domain/outcome';
import { checkpointReportName } from '../../domain/monitoring-schedule';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
const fixtures: OrdersFixture[] = [];
beforeAll(() => (env = suite.env));
afterAll(() => Promise.all(fixtures.map((f) => f.cleanup())));

const MONITORING = {
  duration: '20s',
  cadence: [{ until: '20s', every: '10s' }],
  sentinelEvery: '1s',
  summaryEvery: '10s',
  decisionPoints: [
    { at: '20s', label: 'Final sign-off', roles: ['engineering'], timeout: '1s', onTimeout: 'continue' },
  ],
};
const CHECKS = [
  { name: 'health', report: 'error_handling', at: ['checkpoint', 'sentinel'], http: { path: '/health' } },
  {
    name: 'memory',
    at: ['sentinel'],
    http: { path: '/metrics', parse: 'prometheus', extract: 'process_resident_memory_bytes' },
    trend: { value: 'result.value / 1048576.0', maxRisePerHour: 500, minPoints: 4 },
  },
  {
    name: 'summary',
    report: 'kpi_calculations',
    at: ['checkpoint', 'sentinel'],
    http: { path: '/summary', expectStatus: 200 },
    onFail: 'rollback',
    failureLimit: 3,
  },
];

/** V2 serving, V1 stopped, a backup: what a cutover leaves; then its monitoring. */
async function monitored(name: string, v2Env: Record<string, string>) {
  const f = await createOrdersFixture({ name, v2Env });
  fixtures.push(f);
  const plan = f.plan(CHECKS, { monitoring: MONITORING });
  const loaded = loadInlinePlan(plan, f.workdir);
  await startService(loaded, 'v1');
  await startService(loaded, 'v2');
  const cutoverId = uniqueId(name);
  await backupForCutover(loaded, cutoverId);
  await stopService(loaded, 'v1');
  const handle = await env.client.workflow.start('monitoringWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `${cutoverId}-monitoring`,
    args: [{ plan, cutoverId }],
  });
  return { f, handle };
}

test(
  'a leak is flagged by its trend in a 20-second plan, each checkpoint with its report file; an onFail: ' +
    'rollback check rolls back after failureLimit FAILs in a row',
  async () => {
    const leak = await monitored('leaky', { ORDERS_FAULT_LEAK_MB: '8' });
    const broken = await monitored('broken', {});
    // Errors from the start of monitoring: every summary request answers 500.
    fs.writeFileSync(broken.f.faultFile, JSON.stringify({ errors: 1 }));
    const [leakView, brokenView] = (await Promise.all([
      leak.handle.result().catch(viewOrThrow),
      broken.handle.result().catch(viewOrThrow),
    ])) as MonitoringView[];

    expect(`${leakView.status} ${leakView.message}`).toMatch(/^COMPLETED/);
    expect(leakView.warnings.join('\n')).toMatch(/memory trend: climbing \d+(\.\d+)?\/h over the last \d+ readings/);
    // one report per checkpoint row, named by its offset (seconds apart, none overwritten)
    const id = leak.handle.workflowId;
    const dir = path.join(leak.f.workdir, 'reports');
    const written = fs.readdirSync(dir).filter((n) => n.startsWith(`${id}-checkpoint-`) && n.endsWith('.json'));
    expect(leakView.rows.map((r) => r.offsetMs)).toEqual([10_000, 20_000]);
    expect(written.sort()).toEqual([`${id}-checkpoint-00h00m10s.json`, `${id}-checkpoint-00h00m20s.json`]);
    expect(leakView.rows.map((r) => `${id}-${checkpointReportName(r.offsetMs)}.json`)).toEqual(written);
    for (const name of written) {
      const report = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
      expect(report.status).toMatch(/^(PASS|WARN|FAIL)$/);
      expect(fs.existsSync(path.join(dir, name.replace(/\.json$/, '.md')))).toBe(true);
    }

    expect(brokenView.status).toBe('ROLLED_BACK');
    expect(brokenView.message).toMatch(/summary: .*HTTP 500.*immediate rollback/);
    // failureLimit 3: the first FAILs only warned.
    expect(brokenView.warnings.join('\n')).toMatch(/summary: .*\(FAIL 2 of 3 allowed in a row\)/);
  },
  180_000,
);
