import fs from 'node:fs';
import path from 'node:path';
import { FailureType } from '../../activities/failure-types';
import { ExecDriver } from '../../activities/services/exec-driver';
import { failureOf, tempDir } from './helpers';

let dir: string;
const flag = () => path.join(dir, 'running.flag');
/** start appends to starts.log so a second, skipped start is visible */
const START = [
  process.execPath,
  '-e',
  "const fs = require('fs'); fs.appendFileSync('starts.log', " + "'x'); fs.writeFileSync('running.flag', '')",
];
const STATUS = ['test', '-f', 'running.flag'];

beforeEach(() => {
  dir = tempDir('exec');
});

test('start runs the start command in the plan folder and status reads the status exit code', async () => {
  const driver = new ExecDriver({ name: 'svc', start: START, stop: ['rm', '-f', 'running.flag'], status: STATUS }, dir);
  expect(await driver.status()).toBe('stopped');
  await driver.start();
  expect(fs.existsSync(flag())).toBe(true);
  expect(await driver.status()).toBe('running');
});

test('start skips the start command while status says running', async () => {
  const driver = new ExecDriver({ name: 'svc', start: START, stop: ['rm', '-f', 'running.flag'], status: STATUS }, dir);
  await driver.start();
  await driver.start();
  expect(fs.readFileSync(path.join(dir, 'starts.log'), 'utf8')).toBe('x');
});

test('stop runs the stop command and reports a graceful stop', async () => {
  const driver = new ExecDriver(
    { name: 'svc', start: ['touch', 'running.flag'], stop: ['rm', '-f', 'running.flag'], status: STATUS },
    dir,
  );
  await driver.start();
  expect(await driver.stop(5_000)).toEqual({ forced: false });
  expect(fs.existsSync(flag())).toBe(false);
  expect(await driver.stop(5_000)).toEqual({ forced: false }); // idempotent
});

test('forceStop runs when the service is still running after the grace period', async () => {
  const driver = new ExecDriver(
    {
      name: 'svc',
      start: ['touch', 'running.flag'],
      stop: ['true'],
      forceStop: ['rm', '-f', 'running.flag'],
      status: STATUS,
    },
    dir,
  );
  await driver.start();
  expect(await driver.stop(200)).toEqual({ forced: true });
  expect(fs.existsSync(flag())).toBe(false);
});

test('a service that will not stop and has no forceStop is a ServiceStopFailed', async () => {
  const driver = new ExecDriver({ name: 'svc', start: ['touch', 'running.flag'], stop: ['true'], status: STATUS }, dir);
  await driver.start();
  const failure = await failureOf(driver.stop(200));
  expect(failure.type).toBe(FailureType.ServiceStopFailed);
  expect(failure.message).toContain('no forceStop');
});

test('arguments reach the program literally, with no shell in between', async () => {
  const name = 'a file; touch injected $(id)';
  const driver = new ExecDriver(
    { name: 'svc', start: ['touch', name], stop: ['true'], status: ['test', '-f', name] },
    dir,
  );
  await driver.start();
  expect(fs.readdirSync(dir)).toEqual([name]);
});

test('a failing start command is a non-retryable ServiceStartFailed naming the command', async () => {
  const driver = new ExecDriver(
    { name: 'svc', start: ['sh', '-c', 'echo port in use >&2; exit 2'], stop: ['true'], status: ['false'] },
    dir,
  );
  const failure = await failureOf(driver.start());
  expect(failure.type).toBe(FailureType.ServiceStartFailed);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('exited 2: port in use');
});

test('a program missing from PATH is a non-retryable InvalidServiceConfig', async () => {
  const driver = new ExecDriver(
    { name: 'svc', start: ['no-such-program-xyz'], stop: ['true'], status: ['no-such-program-xyz'] },
    dir,
  );
  const failure = await failureOf(driver.status());
  expect(failure.type).toBe(FailureType.InvalidServiceConfig);
  expect(failure.nonRetryable).toBe(true);
});
