import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { isAlive } from '../../activities/services/process-driver';
import { FailureType } from '../../activities/failure-types';
import { runTestSuite } from '../../activities/test-suite';
import { failureOf } from './helpers';

/** A real command: node prints the given lines and exits with the given code. */
const node = (lines: string[], exitCode = 0) => [
  process.execPath,
  '-e',
  `console.log(${JSON.stringify(lines.join('\n'))}); process.exit(${exitCode})`,
];

test('a passing suite returns its counts, runner and output tail', async () => {
  const result = await runTestSuite({
    command: node(['PASS a.test.ts', 'Tests:       28 passed, 28 total']),
    timeoutMs: 30_000,
  });
  expect(result).toMatchObject({ runner: 'jest', passed: 28, failed: 0, skipped: 0, total: 28 });
  expect(result.tail).toContain('PASS a.test.ts');
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
});

test('node:test output on stderr is read too', async () => {
  const command = [process.execPath, '-e', "console.error('# tests 3\\n# pass 3\\n# fail 0')"];
  expect(await runTestSuite({ command, timeoutMs: 30_000 })).toMatchObject({
    runner: 'node:test',
    passed: 3,
    total: 3,
  });
});

test('failed tests are a non-retryable TestSuiteFailed naming the counts and carrying the tail', async () => {
  const failure = await failureOf(
    runTestSuite({
      command: node(['FAIL kpi.test.ts', 'Tests:  1 failed, 28 passed, 29 total'], 1),
      timeoutMs: 30_000,
    }),
  );
  expect(failure.type).toBe(FailureType.TestSuiteFailed);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('28 passed, 1 failed, 0 skipped (jest)');
  expect(failure.message).toContain('FAIL kpi.test.ts');
  expect(failure.details?.[0]).toMatchObject({ passed: 28, failed: 1 });
});

test('zero tests is a failure even when the command exits 0', async () => {
  const failure = await failureOf(runTestSuite({ command: node(['0 passed, 0 failed']), timeoutMs: 30_000 }));
  expect(failure.type).toBe(FailureType.TestSuiteFailed);
  expect(failure.message).toContain('zero tests ran');
});

test('output without a summary is a failure even when the command exits 0', async () => {
  const failure = await failureOf(runTestSuite({ command: node(['all good!']), timeoutMs: 30_000 }));
  expect(failure.message).toContain('no test summary found');
  expect(failure.message).toContain('all good!');
});

test('a non-zero exit fails the suite even when the summary shows no failures', async () => {
  const failure = await failureOf(runTestSuite({ command: node(['29 passed, 0 failed'], 1), timeoutMs: 30_000 }));
  expect(failure.message).toContain('exit code 1');
});

test('a suite that outlives its timeout is killed and fails', async () => {
  const command = [process.execPath, '-e', "console.log('started'); setInterval(() => {}, 1000)"];
  const failure = await failureOf(runTestSuite({ command, timeoutMs: 500 }));
  expect(failure.type).toBe(FailureType.TestSuiteFailed);
  expect(failure.message).toContain('timed out after 500 ms');
  expect(failure.message).toContain('killed by SIGTERM');
});

test('a test program that does not exist is a non-retryable InvalidTestConfig', async () => {
  const failure = await failureOf(runTestSuite({ command: ['no-such-test-runner-xyz'], timeoutMs: 30_000 }));
  expect(failure.type).toBe(FailureType.InvalidTestConfig);
  expect(failure.nonRetryable).toBe(true);
});

test('cancelling the activity kills the running suite and reports the cancellation', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-suite-'));
  const marker = path.join(dir, 'started');
  const command = [
    process.execPath,
    '-e',
    `require('fs').writeFileSync(${JSON.stringify(marker)}, ` + `String(process.pid)); setInterval(() => {}, 1000)`,
  ];
  const env = new MockActivityEnvironment();
  const run = env.run(runTestSuite, { command, timeoutMs: 120_000 });
  while (!fs.existsSync(marker) || !fs.readFileSync(marker, 'utf8')) await new Promise((r) => setTimeout(r, 50));
  env.cancel();
  await expect(run).rejects.toBeInstanceOf(CancelledFailure);
  expect(isAlive(Number(fs.readFileSync(marker, 'utf8')))).toBe(false);
});
