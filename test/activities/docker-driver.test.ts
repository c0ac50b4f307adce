import fs from 'node:fs';
import path from 'node:path';
import { FailureType } from '../../activities/failure-types';
import { DockerDriver } from '../../activities/services/docker-driver';
import { failureOf, tempDir, writeExecutable } from './helpers';

/**
 * A recording fake docker, first on PATH: appends its argv (tab-separated) to `calls` and keeps
 * the container's state in `state`: running | exited <code> | stubborn (docker stop has to kill
 * it: exit 137) | immortal (still running after stop) | missing.
 */
const FAKE_DOCKER = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\t' "$@" >> "$dir/calls"; printf '\\n' >> "$dir/calls"
state=$(cat "$dir/state" 2>/dev/null || echo missing)
c=$(eval echo "\\\${$#}")
if [ "$state" = missing ]; then echo "Error response from daemon: No such container: $c" >&2; exit 1; fi
case "$state" in running|stubborn|immortal) running=true; code=0 ;; *) running=false; code=\${state#exited } ;; esac
case "$1" in
  start) echo running > "$dir/state"; echo "$c" ;;
  stop) case "$state" in running) echo "exited 0" > "$dir/state" ;; stubborn) echo "exited 137" > "$dir/state" ;; esac; echo "$c" ;;
  kill) echo "exited 137" > "$dir/state"; echo "$c" ;;
  inspect) if [ "$3" = '{{.State.Running}}' ]; then echo $running; else echo "$running $code"; fi ;;
esac
`;
const C = 'pipeline-v2';
let fake: string;
const originalPath = process.env.PATH;

const setState = (state: string) => fs.writeFileSync(path.join(fake, 'state'), `${state}\n`);
const calls = (): string[][] =>
  fs
    .readFileSync(path.join(fake, 'calls'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t').filter(Boolean));
const driver = () => new DockerDriver({ name: 'v2', container: C });
const RUNNING = ['inspect', '-f', '{{.State.Running}}', C];
const RUNNING_AND_EXIT = ['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', C];

beforeEach(() => {
  fake = tempDir('docker');
  writeExecutable(fake, 'docker', FAKE_DOCKER);
  process.env.PATH = `${fake}:${originalPath}`;
});
afterEach(() => {
  process.env.PATH = originalPath;
});

test('start runs exactly "docker start <container>"', async () => {
  setState('exited 0');
  await driver().start();
  expect(calls()).toEqual([['start', C]]);
  expect(await driver().status()).toBe('running');
});

test('starting a missing container is a non-retryable ServiceStartFailed with docker stderr', async () => {
  setState('missing');
  const failure = await failureOf(driver().start());
  expect(failure.type).toBe(FailureType.ServiceStartFailed);
  expect(failure.message).toContain('No such container: pipeline-v2');
});

test('stop passes the grace period in whole seconds and reports a graceful exit', async () => {
  setState('running');
  expect(await driver().stop(1_500)).toEqual({ forced: false });
  expect(calls()).toEqual([RUNNING, ['stop', '-t', '2', C], RUNNING_AND_EXIT]);
});

test('stop reports forced when docker had to SIGKILL the container (exit code 137)', async () => {
  setState('stubborn');
  expect(await driver().stop(30_000)).toEqual({ forced: true });
  expect(calls()).toEqual([RUNNING, ['stop', '-t', '30', C], RUNNING_AND_EXIT]);
});

test('a container still running after docker stop is killed', async () => {
  setState('immortal');
  expect(await driver().stop(1_000)).toEqual({ forced: true });
  expect(calls()).toEqual([RUNNING, ['stop', '-t', '1', C], RUNNING_AND_EXIT, ['kill', C]]);
});

test('stopping a stopped container only inspects it', async () => {
  setState('exited 137');
  expect(await driver().stop(1_000)).toEqual({ forced: false });
  expect(calls()).toEqual([RUNNING]);
});

test('status is unknown when docker cannot inspect the container', async () => {
  setState('missing');
  expect(await driver().status()).toBe('unknown');
});

test('a container name that could be read as an option is rejected before docker runs', () => {
  expect(() => new DockerDriver({ name: 'v2', container: '--rm' })).toThrow(/not a container name/);
  expect(fs.existsSync(path.join(fake, 'calls'))).toBe(false);
});
