/**
 * The exec traffic driver with a real script as "the router" (it keeps the weights in a file; no
 * publicUrl, so nothing is probed): the plan's argv get their placeholders, the state is read
 * back, and the undo restores the weights from before the change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { changeTraffic, readTrafficState, restoreTraffic } from '../../activities/traffic';
import { FailureType } from '../../domain/failure-types';
import { allTo, v2Share } from '../../domain/traffic-state';
import { routerPlan } from '../helpers/version-backends';
import { failureOf, tempDir, writeExecutable } from './helpers';

const dir = tempDir('exec-router');
const weights = path.join(dir, 'weights.json');
const calls = path.join(dir, 'calls.log');
const router = writeExecutable(
  dir,
  'router.sh',
  `#!/bin/sh
echo "$*" >> ${calls}
case "$1" in
  state) cat ${weights} ;;
  switch) if [ "$2" = v1 ]; then echo '{"v1": 100, "v2": 0}' > ${weights}; else echo '{"v1": 0, "v2": 100}' > ${weights}; fi ;;
  weights) echo "{\\"v1\\": $2, \\"v2\\": $3}" > ${weights} ;;
  broken) echo 'not json' ;;
esac
`,
);
const plan = (extra: Record<string, unknown> = {}) =>
  routerPlan(
    dir,
    { v1: 'http://127.0.0.1:1', v2: 'http://127.0.0.1:2' },
    {
      driver: 'exec',
      switch: [router, 'switch', '{role}'],
      weights: [router, 'weights', '{v1}', '{v2}'],
      state: [router, 'state'],
      stateDir: 'state',
      ...extra,
    },
  );

beforeEach(() => {
  fs.writeFileSync(weights, '{"v1": 100, "v2": 0}\n');
  fs.rmSync(calls, { force: true });
  fs.rmSync(path.join(dir, 'state'), { recursive: true, force: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('canary weights through the weights command, read back, and undone to the state before', async () => {
  const step = await changeTraffic(plan(), v2Share(10), 'V2 10%', { cutoverId: 'c1' });
  expect(step.state.weights).toEqual({ v1: 90, v2: 10 });
  await changeTraffic(plan(), allTo('v2'), 'all', { cutoverId: 'c1' });
  const restored = await restoreTraffic(plan(), 'c1');
  expect(restored!.state.weights).toEqual({ v1: 100, v2: 0 });
  expect(
    fs
      .readFileSync(calls, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('state')),
  ).toEqual(['weights 90 10', 'weights 0 100', 'weights 100 0', '']);
});

test('without a weights command a switch uses the switch command with {role}', async () => {
  await changeTraffic(plan({ weights: undefined }), allTo('v2'), 'all', { cutoverId: 'c2' });
  expect(fs.readFileSync(calls, 'utf8')).toMatch(/^switch v2$/m);
  expect((await readTrafficState(plan()))!.state.weights).toEqual({ v1: 0, v2: 100 });
  const failure = await failureOf(
    changeTraffic(plan({ weights: undefined }), v2Share(10), 'V2 10%', { cutoverId: 'c2' }),
  );
  expect(failure.type).toBe(FailureType.InvalidTrafficConfig);
  expect(failure.message).toMatch(/traffic\.weights is missing: a canary needs a command that sets weights/);
});

test('a state command that does not print weights is a clear, non-retryable error', async () => {
  const failure = await failureOf(readTrafficState(plan({ state: [router, 'broken'] })));
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(/traffic\.state must print \{"v1": <weight>, "v2": <weight>\}, it printed: not json/);
});
