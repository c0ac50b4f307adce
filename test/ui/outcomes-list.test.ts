/**
 * The Temporal UI's default workflow list, as it opens (no column added by hand), after four real
 * cutovers: SUCCESS, ABORTED, ROLLED_BACK and FAILED. A user tells them apart from the page, and
 * the list holds no lock rows. Before the ABORTED one was aborted, its GO/NO-GO gate was open:
 * its details in the UI say when it closes, what the default is and how to vote.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { CutoverView } from '../../domain/cutover-model';
import { viewOrThrow } from '../../domain/outcome';
import { startService } from '../../activities/service-control';
import { bundleWorkflows, createWorker, startDevServer } from '../helpers/temporal-env';
import { createDemoFixture, freePort, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { newPage, openUntil, pageText, uiTest } from '../helpers/ui-browser';

const OUTPUT = path.resolve(__dirname, '../../.data/test-output/ui');
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let uiPort: number;
const fixtures: DemoFixture[] = [];
beforeAll(async () => {
  uiPort = await freePort();
  env = await startDevServer(['--log-level', 'error'], { uiPort });
  worker = await createWorker(env, await bundleWorkflows());
  running = worker.run();
}, 180_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all(fixtures.map((f) => f.cleanup()));
  await env?.teardown();
});

async function withV1() {
  const fixture = await createDemoFixture();
  fixtures.push(fixture);
  await startService(fixture.loaded(), 'v1');
  return fixture;
}
const ended = async (handle: { result(): Promise<unknown> }) =>
  (await handle.result().catch(viewOrThrow)) as CutoverView;

uiTest()(
  'the default list tells SUCCESS, ABORTED, ROLLED_BACK and ' +
    'FAILED apart with no lock rows, and an open gate says its ' +
    'deadline, default and vote',
  async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    const page = await newPage();
    const base = `http://127.0.0.1:${uiPort}/namespaces/default/workflows`;

    // ABORTED, after its open gate was read in the UI.
    const gated = await withV1();
    const aborted = await startCutover(env.client, gated.plan, { startedBy: 'starter' });
    await waitForStatus(aborted, (v) => v.status === 'AWAITING_APPROVAL' && !!v.openDecision);
    const detailsUrl = `${base}/${aborted.workflowId}`;
    // the UI (2.54) shows a workflow's current details under its "User Metadata" tab
    await openUntil(page, detailsUrl, async () => {
      const tab = page.getByText('User Metadata', { exact: true });
      if (await tab.count()) await tab.first().click();
      return (await pageText(page)).includes('Open decision: GO/NO-GO');
    });
    const details = await pageText(page);
    await page.screenshot({ path: path.join(OUTPUT, 'open-gate-details.png'), fullPage: true });
    expect(details).toMatch(
      /Deadline: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((29\.\d|30) min left as of \d\d:\d\d:\d\d UTC\)/,
    );
    expect(details).toContain('Default: abort (V1 stays serving) after 30 min if no decision by then');
    expect(details).toContain(`cutover approve ${aborted.workflowId} --role engineering --as <your name>`);
    expect(details).toContain(
      'name approveSignal, input {"role": "engineering", "approver": ' + '"<your name>", "decision": "GO"}',
    );
    await aborted.signal('abort', { reason: 'test: window closed', by: 'bob' });
    expect((await ended(aborted)).status).toBe('ABORTED');

    // ROLLED_BACK (same services, V1 serving again after the abort), SUCCESS and FAILED side by side.
    const rolledBack = (async () => {
      const handle = await startCutover(env.client, gated.plan, { autoApprove: true, holdBefore: ['phase5'] });
      await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
      await handle.signal('rollback', { reason: 'test: errors on the dashboard', by: 'alice' });
      return { handle, view: await ended(handle) };
    })();
    const success = (async () => {
      const handle = await startCutover(env.client, (await withV1()).plan, { autoApprove: true });
      return { handle, view: await ended(handle) };
    })();
    const failed = (async () => {
      const fixture = await withV1();
      const cutoverId = uniqueId('cutover-ui-failed');
      // The rollback's id is taken, so the rollback cannot run: needs a human, FAILED.
      const blocker = await env.client.workflow.start('rollbackWorkflow', {
        taskQueue: 'nobody-polls-this',
        workflowId: `${cutoverId}-rollback`,
        args: [{}],
      });
      const handle = await env.client.workflow.start('cutoverWorkflow', {
        taskQueue: 'cutover',
        workflowId: cutoverId,
        args: [{ plan: fixture.plan, startedBy: 'starter', monitor: false, autoApprove: true, holdBefore: ['phase5'] }],
      });
      await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
      await handle.signal('rollback', { reason: 'test: rollback blocked', by: 'alice' });
      const view = await ended(handle);
      await blocker.terminate('test done');
      return { handle, view };
    })();
    const runs = {
      SUCCESS: await success,
      ROLLED_BACK: await rolledBack,
      FAILED: await failed,
      ABORTED: { handle: aborted },
    };
    expect(
      Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, 'view' in r ? r.view.status : 'ABORTED'])),
    ).toEqual({ SUCCESS: 'SUCCESS', ROLLED_BACK: 'ROLLED_BACK', FAILED: 'FAILED', ABORTED: 'ABORTED' });

    // The list exactly as the UI opens it.
    const rowOf = (id: string) => page.locator('tr', { has: page.getByText(id, { exact: true }) });
    await openUntil(page, base, async () => {
      for (const { handle } of Object.values(runs)) if (!(await rowOf(handle.workflowId).count())) return false;
      return true;
    });
    await page.screenshot({ path: path.join(OUTPUT, 'default-list.png'), fullPage: true });
    const cells = async (id: string) => (await rowOf(id).innerText()).replace(/\s+/g, ' ');
    const shown = Object.fromEntries(
      await Promise.all(Object.entries(runs).map(async ([k, r]) => [k, await cells(r.handle.workflowId)])),
    );
    expect(shown.SUCCESS).toMatch(/COMPLETED/i);
    for (const outcome of ['ABORTED', 'ROLLED_BACK', 'FAILED']) expect(shown[outcome]).toMatch(/FAILED/i);
    // No lock anywhere in the list: they live in their own namespace.
    expect(await page.getByText('cutover-lock').count()).toBe(0);
    const rows = await page.$$eval('tbody tr', (trs) =>
      trs.map((t) => (t as unknown as { innerText: string }).innerText),
    );
    expect(rows.filter((r) => /cutoverLock|cutover-lock/.test(r))).toEqual([]);

    // One click from the list, each failed row names its outcome first.
    for (const outcome of ['ABORTED', 'ROLLED_BACK', 'FAILED']) {
      const id = runs[outcome as keyof typeof runs].handle.workflowId;
      await openUntil(page, `${base}/${id}`, async () => (await pageText(page)).includes(`${outcome}: `));
      await page.screenshot({ path: path.join(OUTPUT, `${outcome.toLowerCase()}.png`), fullPage: true });
    }
    console.log(`screenshots in ${OUTPUT}`);
  },
  600_000,
);
