/**
 * On the Java time-skipping test server: a gate whose plan defaults to GO proceeds after its
 * timeout. Its own file (its own server): run after the abort test on one server it never saw the
 * hold, since cutovers take lock child workflows — not yet understood, see the closing note.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { timeSkippingWithWorkers } from '../helpers/dev-server-suite';
import { demoFixturePerTest, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

const worker = timeSkippingWithWorkers();
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
let fixture: DemoFixture | undefined;

beforeAll(() => {
  env = worker.env;
});

test('a gate whose plan defaults to GO on timeout proceeds to Phase 1 after the timeout', async () => {
  fixture = await fixtures.withV1Running({
    mutate: (plan) => (plan.approvals.gate = { timeout: '2h', onTimeout: 'go' }),
  });
  const view = await worker.runUntil(async () => {
    const handle = await startCutover(env.client, fixture!.plan, { holdBefore: ['phase1'] });
    // Past the 2-hour gate in one skip, then wait for the hold its default GO leads to.
    await env.sleep(3 * 3_600_000);
    for (;;) {
      const v = await handle.query<CutoverView>('status');
      if (v.heldBefore === 'phase1') {
        await handle.signal('abort', { reason: 'rehearsal over' });
        return handle.result().catch(viewOrThrow) as Promise<CutoverView>;
      }
      await env.sleep(1_000);
    }
  });
  expect(view.phases.find((p) => p.id === 'gate')).toMatchObject({
    state: 'passed',
    message: "GO by the plan's timeout default",
  });
  expect(view.status).toBe('ABORTED');
  // Room for a busy 2-core CI box (it once took 104 s): a limit for a hung run, not a speed check.
}, 300_000);
