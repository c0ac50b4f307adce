/**
 * docs/operations/temporal-ui.md tells how to see CutoverStatus as a column of the Temporal UI's workflow list; this
 * follows those exact steps in headless Chromium against the dev server's own UI.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { statusKey } from '../../domain/search-attributes';
import { startDevServer } from '../helpers/temporal-env';
import { freePort } from '../helpers/demo-fixture';
import { newPage, openUntil, uiTest } from '../helpers/ui-browser';

let env: TestWorkflowEnvironment;
let uiPort: number;
beforeAll(async () => {
  uiPort = await freePort();
  env = await startDevServer(['--log-level', 'error'], { uiPort });
}, 120_000);
afterAll(() => env?.teardown());

uiTest()(
  'Workflows → Configure Columns → "Add CutoverStatus column" ' + "shows each workflow's CutoverStatus",
  async () => {
    // Nobody polls this queue: the row only needs the search attribute our workflows upsert.
    await env.client.workflow.start('monitoringWorkflow', {
      taskQueue: 'nobody-polls-this',
      workflowId: 'cutover-ui-column-monitoring',
      args: [{}],
      typedSearchAttributes: [{ key: statusKey, value: 'ROLLED_BACK' }],
    });
    const page = await newPage();
    const list = `http://127.0.0.1:${uiPort}/namespaces/default/workflows`;
    await openUntil(page, list, async () => (await page.getByText('cutover-ui-column-monitoring').count()) > 0);
    await page.click('[data-testid=workflows-summary-table-configuration-button]');
    await page.click('button[aria-label="Add CutoverStatus column"]');
    await page.keyboard.press('Escape');
    const headers = await page.$$eval('th', (cells) => cells.map((c) => c.textContent?.trim()));
    expect(headers).toContain('CutoverStatus');
    const row = page.locator('tr', { hasText: 'cutover-ui-column-monitoring' });
    await row.getByText('ROLLED_BACK').waitFor();
  },
);
