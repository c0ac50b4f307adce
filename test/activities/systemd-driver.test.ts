import fs from 'node:fs';
import path from 'node:path';
import { FailureType } from '../../activities/failure-types';
import { driverFor } from '../../activities/services/driver-factory';
import { SystemdDriver } from '../../activities/services/systemd-driver';
import { failureOf, tempDir, writeExecutable } from './helpers';

/**
 * A recording fake systemctl, first on PATH: appends its argv (tab-separated) to `calls` and
 * answers from `state`: active | inactive | hanging (stop hangs, unit is "deactivating") | broken.
 */
const FAKE_SYSTEMCTL = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\t' "$@" >> "$dir/calls"; printf '\\n' >> "$dir/calls"
state=$(cat "$dir/state" 2>/dev/null || echo inactive)
case "$1" in
  start) if [ "$state" = broken ]; then echo "Job for $2 failed because the control process exited with error code." >&2; exit 1; fi
         echo active > "$dir/state" ;;
  stop) if [ "$state" = hanging ]; then exec sleep 30; fi
        echo inactive > "$dir/state" ;;
  kill) echo inactive > "$dir/state" ;;
  is-active) if [ "$state" = hanging ]; then echo deactivating; exit 3; fi
             echo "$state"; [ "$state" = active ] && exit 0; exit 3 ;;
esac
`;
const UNIT = 'abaco-pipeline-v1.service';
let fake: string;
const originalPath = process.env.PATH;

const setState = (state: string) => fs.writeFileSync(path.join(fake, 'state'), `${state}\n`);
const calls = (): string[][] => {
  const file = path.join(fake, 'calls');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t').filter(Boolean));
};
const driver = () => new SystemdDriver({ name: 'pipeline-v1', unit: UNIT });

beforeEach(() => {
  fake = tempDir('systemctl');
  writeExecutable(fake, 'systemctl', FAKE_SYSTEMCTL);
  process.env.PATH = `${fake}:${originalPath}`;
});
afterEach(() => {
  process.env.PATH = originalPath;
});

test('start runs exactly "systemctl start <unit>"', async () => {
  setState('inactive');
  await driver().start();
  expect(calls()).toEqual([['start', UNIT]]);
});

test('a unit that fails to start is a non-retryable ServiceStartFailed carrying systemctl stderr', async () => {
  setState('broken');
  const failure = await failureOf(driver().start());
  expect(failure.type).toBe(FailureType.ServiceStartFailed);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('control process exited with error code');
});

test('a graceful stop is one "systemctl stop <unit>" call', async () => {
  setState('active');
  expect(await driver().stop(5_000)).toEqual({ forced: false });
  expect(calls()).toEqual([['stop', UNIT]]);
});

test('a stop that outlasts the grace period is followed by systemctl kill --signal=SIGKILL', async () => {
  setState('hanging');
  expect(await driver().stop(300)).toEqual({ forced: true });
  expect(calls()).toEqual([
    ['stop', UNIT],
    ['is-active', UNIT],
    ['kill', '--signal=SIGKILL', UNIT],
    ['is-active', UNIT],
  ]);
});

test('status maps is-active output to running or stopped', async () => {
  setState('active');
  expect(await driver().status()).toBe('running');
  setState('failed');
  expect(await driver().status()).toBe('stopped');
  expect(calls()).toEqual([
    ['is-active', UNIT],
    ['is-active', UNIT],
  ]);
});

test.each(['pipeline', 'x.service; rm -rf /', '--all.service', 'a b.service'])(
  'the unit name "%s" is rejected before systemctl runs',
  async (unit) => {
    const failure = await failureOf(() =>
      driverFor({
        driver: 'systemd',
        unit,
        name: 'p',
        baseUrl: 'http://127.0.0.1:1',
        healthPath: '/health',
        startTimeout: '1s',
        stopGrace: '1s',
      }),
    );
    expect(failure.type).toBe(FailureType.InvalidServiceConfig);
    expect(failure.nonRetryable).toBe(true);
    expect(calls()).toEqual([]);
  },
);
