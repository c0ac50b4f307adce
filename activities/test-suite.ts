/**
 * Runs the plan's test command (argv, no shell) and turns its summary into counts. Anything
 * short of "some tests ran and none failed, exit 0" is a non-retryable TestSuiteFailed:
 * rerunning a red suite until it flakes green is not a cutover gate.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from './failure-types';
import { cancellationSignal } from '../infra/activity-context';
import { heartbeat, HEARTBEAT_EVERY_MS, retryCause } from './heartbeat';
import { log } from './activity-log';
import { trackChild } from './child-registry';
import { parseTestOutput, type TestRunner } from './test-output-parser';
import { childEnv } from './services/service-driver';

export interface TestSuiteResult {
  runner: TestRunner;
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  durationMs: number;
  /** last lines of the output, for reports */
  tail: string;
}

const KEEP_CHARS = 256 * 1024; // summaries are at the end; bound memory for chatty suites
const KILL_GRACE_MS = 5_000;
const tailOf = (text: string, lines = 40) =>
  text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .join('\n');

export async function runTestSuite(input: {
  command: string[];
  cwd?: string;
  timeoutMs: number;
}): Promise<TestSuiteResult> {
  const [program, ...args] = input.command;
  const cwd = path.resolve(input.cwd ?? process.cwd());
  const started = Date.now();
  // Retried only after a lost worker (a failed suite is final): say so in the log and the heartbeat.
  const retry = retryCause('the test run');
  if (retry) log.warn(retry);
  // Own process group so a timeout kills the runner's workers too (npm → jest → workers).
  const child = spawn(program!, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({ CI: 'true' }),
  });
  // Recorded, so a worker that dies mid-run has the runner killed by the next one on the host.
  const untrack = trackChild(child.pid, `test suite: ${input.command.join(' ')}`);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-KEEP_CHARS);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let timedOut = false;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const stopRun = () => {
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stopRun();
  }, input.timeoutMs);
  const beat = setInterval(
    () => heartbeat({ elapsedMs: Date.now() - started, last: tailOf(output, 1), ...(retry ? { retry } : {}) }),
    HEARTBEAT_EVERY_MS,
  );
  const signal = cancellationSignal();
  signal?.addEventListener('abort', stopRun);

  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve({ code, signal: sig }));
    });
  } catch (err) {
    throw ApplicationFailure.nonRetryable(
      `cannot run test command ${input.command.join(' ')} in ${cwd}: ${(err as Error).message}`,
      FailureType.InvalidTestConfig,
    );
  } finally {
    clearTimeout(timer);
    clearInterval(beat);
    untrack();
    signal?.removeEventListener('abort', stopRun);
  }

  if (signal?.aborted) throw signal.reason; // report the cancellation, not a failed suite
  const durationMs = Date.now() - started;
  const tail = tailOf(output);
  const counts = parseTestOutput(output);
  const result: TestSuiteResult = {
    runner: counts?.runner ?? 'plain',
    passed: 0,
    failed: 0,
    skipped: 0,
    total: 0,
    ...counts,
    durationMs,
    tail,
  };
  const problems = [
    timedOut && `timed out after ${input.timeoutMs} ms`,
    !counts && 'no test summary found in the output',
    counts && counts.passed + counts.failed === 0 && 'zero tests ran',
    counts && counts.failed > 0 && `${counts.failed} failed`,
    exit.code !== 0 && (exit.code === null ? `killed by ${exit.signal}` : `exit code ${exit.code}`),
  ].filter(Boolean);
  if (problems.length) {
    const summary = counts
      ? `${counts.passed} passed, ${counts.failed} failed, ` + `${counts.skipped} skipped (${counts.runner})`
      : 'no counts';
    throw ApplicationFailure.nonRetryable(
      `test suite failed: ${problems.join('; ')} — ${summary}; ` +
        `command: ${input.command.join(' ')}\n--- output tail ---\n${tail}`,
      FailureType.TestSuiteFailed,
      result,
    );
  }
  return result;
}
