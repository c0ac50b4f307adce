/**
 * Command checks run on their host's agent (runHostChecks) and the orchestrator's validation
 * takes those outcomes in their place instead of running the scripts itself. Real child
 * processes, no server: the checks are scripts.
 */
import { runChecksAt } from '../../activities/checks/run-checks';
import { runHostChecks } from '../../activities/checks/providers/command-on-host';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';

let f: OrdersFixture;
beforeAll(async () => {
  f = await createOrdersFixture({ name: 'hosted' });
});
afterAll(() => f.cleanup());

const script = (name: string, argv: string[]) => ({ name, at: ['phase5'], command: { argv, stdoutJson: true } });
const checks = [
  {
    ...script('answers', ['node', '-e', 'console.log(JSON.stringify({ ok: true }))']),
    fail: 'result.value.ok != true',
  },
  { ...script('exits_1', ['false']), command: { argv: ['false'], host: 'app-2' } },
];

test('a host agent runs only the checks it is sent, as the orchestrator would', async () => {
  const loaded = f.loaded(checks);
  const [ran, ...rest] = await runHostChecks(loaded, 'v2', 'phase5', ['exits_1']);
  expect(rest).toEqual([]);
  expect(ran).toMatchObject({
    name: 'exits_1',
    provider: 'command',
    target: 'v2',
    moment: 'phase5',
    status: 'FAIL',
    rule: 'okExitCodes',
  });
  await expect(runHostChecks(loaded, 'v2', 'phase5', ['gone'])).rejects.toMatchObject({
    type: 'InvalidPlan',
    message: expect.stringMatching(/^checks gone are not in plan hosted-plan/),
  });
});

test(
  "the validation takes a host's outcome in its place (plan " + 'order) and does not run that script itself',
  async () => {
    const loaded = f.loaded(checks);
    const fromHost = {
      name: 'exits_1',
      report: 'exits_1',
      provider: 'command' as const,
      target: 'v2' as const,
      moment: 'phase5' as const,
      status: 'PASS' as const,
      message: 'ran on app-2',
      metrics: {},
      onFail: 'retry' as const,
      durationMs: 5,
    };
    const outcomes = await runChecksAt(loaded, 'v2', 'phase5', { hosted: [fromHost] });
    expect(outcomes.map((o) => `${o.name} ${o.status}`)).toEqual(['answers PASS', 'exits_1 PASS']);
    expect(outcomes[1]).toBe(fromHost);
    // without it, the script would have run here (and failed)
    expect((await runChecksAt(loaded, 'v2', 'phase5')).map((o) => `${o.name} ${o.status}`)).toEqual([
      'answers PASS',
      'exits_1 FAIL',
    ]);
  },
);
