import { parseTestOutput } from '../../activities/test-output-parser';

test('jest summary counts failed, skipped, todo and passed tests', () => {
  const out = [
    'PASS test/a.test.ts',
    'Test Suites: 1 failed, 4 passed, 5 total',
    'Tests:       1 failed, 2 skipped, 1 todo, 28 passed, 32 total',
    'Time:        3.2 s',
  ].join('\n');
  expect(parseTestOutput(out)).toEqual({ runner: 'jest', passed: 28, failed: 1, skipped: 3, total: 32 });
});

test('jest summary wrapped in ANSI colours is still read', () => {
  const out = 'Tests:       \x1b[1m\x1b[32m29 passed\x1b[39m\x1b[22m, 29 total';
  expect(parseTestOutput(out)).toEqual({ runner: 'jest', passed: 29, failed: 0, skipped: 0, total: 29 });
});

test('node:test TAP summary ("# pass") is read, cancelled counting as failed', () => {
  const out = [
    'TAP version 13',
    'ok 1 - adds',
    '# tests 30',
    '# suites 2',
    '# pass 29',
    '# fail 0',
    '# cancelled 1',
    '# skipped 0',
    '# todo 0',
  ].join('\n');
  expect(parseTestOutput(out)).toEqual({ runner: 'node:test', passed: 29, failed: 1, skipped: 0, total: 30 });
});

test('node:test spec reporter summary ("ℹ pass") is read', () => {
  const out = [
    '✔ adds (0.5ms)',
    'ℹ tests 29',
    'ℹ suites 0',
    'ℹ pass 27',
    'ℹ fail 2',
    'ℹ cancelled 0',
    'ℹ skipped 0',
    'ℹ todo 0',
    'ℹ duration_ms 52.1',
  ].join('\n');
  expect(parseTestOutput(out)).toEqual({ runner: 'node:test', passed: 27, failed: 2, skipped: 0, total: 29 });
});

test('pytest final line counts failures and errors as failed', () => {
  const out = [
    '============ test session starts ============',
    'collected 30 items',
    '===== 2 failed, 27 passed, 1 error in 1.23s =====',
  ].join('\n');
  expect(parseTestOutput(out)).toEqual({ runner: 'pytest', passed: 27, failed: 3, skipped: 0, total: 30 });
});

test('pytest with skips, warnings and a wall-clock suffix', () => {
  const out = '======= 27 passed, 2 skipped, 3 warnings in 61.02s (0:01:01) =======';
  expect(parseTestOutput(out)).toEqual({ runner: 'pytest', passed: 27, failed: 0, skipped: 2, total: 29 });
});

test('pytest "no tests ran" is zero tests, not an unknown format', () => {
  expect(parseTestOutput('============ no tests ran in 0.01s ============')).toEqual({
    runner: 'pytest',
    passed: 0,
    failed: 0,
    skipped: 0,
    total: 0,
  });
});

test.each([
  ['29 passed, 0 failed', { passed: 29, failed: 0, skipped: 0 }],
  ['Results: 27 passed, 2 failed', { passed: 27, failed: 2, skipped: 0 }],
  ['summary:  10 passed, 0 failed, 3 skipped', { passed: 10, failed: 0, skipped: 3 }],
])('the plain line "%s" is read', (line, counts) => {
  expect(parseTestOutput(`running...\n${line}\n`)).toEqual({
    runner: 'plain',
    ...counts,
    total: counts.passed + counts.failed + counts.skipped,
  });
});

test('a plain line with more than one word before it is not a summary', () => {
  expect(parseTestOutput('my results: 3 passed, 0 failed')).toBeNull();
});

test('the last summary wins when a runner prints more than one', () => {
  expect(parseTestOutput('3 passed, 1 failed\nretrying\n4 passed, 0 failed')).toMatchObject({ passed: 4, failed: 0 });
});

test('zero tests in a jest summary parses as zero', () => {
  expect(parseTestOutput('Tests:       0 total')).toEqual({
    runner: 'jest',
    passed: 0,
    failed: 0,
    skipped: 0,
    total: 0,
  });
});

test.each([
  '',
  'all good!',
  'passed: yes\nfailed: no',
  '=== test session starts ===',
  '# pass 3 (without a fail line)',
])('output without a known summary gives null: %j', (out) => {
  expect(parseTestOutput(out)).toBeNull();
});
