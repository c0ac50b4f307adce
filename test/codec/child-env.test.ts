/**
 * No child of the worker inherits its secrets: the process, exec, systemd and docker drivers and
 * the test runner all get the same scrubbed environment. Each child here is real (a node
 * process, or a recording fake systemctl/docker on PATH) and writes the environment it saw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CODEC_ENV_VARS } from '../../infra/codec-config';
import { ExecDriver } from '../../activities/services/exec-driver';
import { SystemdDriver } from '../../activities/services/systemd-driver';
import { DockerDriver } from '../../activities/services/docker-driver';
import { ProcessDriver } from '../../activities/services/process-driver';
import { runTestSuite } from '../../activities/test-suite';
import { tempDir, writeExecutable } from '../activities/helpers';

const SECRETS: Record<string, string> = {
  TEMPORAL_API_KEY: 'temporal-api-key-value',
  TEMPORAL_TLS_CLIENT_KEY_DATA: 'tls-key-value',
  CUTOVER_CODEC_KEYS: 'k1:codec-key-value',
  CUTOVER_CODEC_KEY_FILE: '/etc/cutover/codec-keys',
  CUTOVER_CODEC_SERVER_TOKEN: 'codec-token-value',
  CUTOVER_SLACK_WEBHOOK: 'https://hooks.example/secret',
  DB_PASSWORD: 'db-password-value',
  VAULT_TOKEN: 'vault-token-value',
};
const KEPT = { CUTOVER_HARMLESS_SETTING: 'visible', LANG_TEST_MARK: 'also-visible' };
/** node writing the env it got as JSON into the file named by argv */
const dumpEnv = (file: string) => [
  process.execPath,
  '-e',
  `require('fs').writeFileSync(${JSON.stringify(file)}, JSON.stringify(process.env))`,
];
const FAKE_CLI = (dumpFile: string) => `#!/bin/sh\nenv > "${dumpFile}"\necho active\n`;

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = tempDir('child-env');
  Object.assign(process.env, SECRETS, KEPT);
});
afterEach(() => {
  for (const k of [...Object.keys(SECRETS), ...Object.keys(KEPT)]) delete process.env[k];
  process.env.PATH = saved.PATH;
});

function expectScrubbed(env: Record<string, string | undefined>) {
  for (const name of Object.keys(SECRETS)) expect(env[name]).toBeUndefined();
  expect(JSON.stringify(env)).not.toMatch(/-value|hooks\.example/);
  expect(env).toMatchObject(KEPT);
  expect(env.PATH).toBeTruthy();
}
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
const readEnvLines = (file: string) =>
  Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

test('every codec variable is among the scrubbed ones', () => {
  for (const name of CODEC_ENV_VARS) expect(Object.keys(SECRETS)).toContain(name);
});

test('exec driver: the plan commands run without the worker secrets', async () => {
  const out = path.join(dir, 'env.json');
  await new ExecDriver(
    { name: 'svc', start: dumpEnv(out), stop: ['true'], status: ['test', '-f', 'never'] },
    dir,
  ).start();
  expectScrubbed(readJson(out));
});

test('systemd driver: systemctl runs without the worker secrets', async () => {
  const out = path.join(dir, 'systemctl.env');
  writeExecutable(dir, 'systemctl', FAKE_CLI(out));
  process.env.PATH = `${dir}:${saved.PATH}`;
  expect(await new SystemdDriver({ name: 'v1', unit: 'loans-v1.service' }).status()).toBe('running');
  expectScrubbed(readEnvLines(out));
});

test('docker driver: docker runs without the worker secrets', async () => {
  const out = path.join(dir, 'docker.env');
  writeExecutable(dir, 'docker', FAKE_CLI(out));
  process.env.PATH = `${dir}:${saved.PATH}`;
  await new DockerDriver({ name: 'v2', container: 'loans-v2' }).status();
  expectScrubbed(readEnvLines(out));
});

test('test runner: the suite runs without the worker secrets, with CI=true', async () => {
  const out = path.join(dir, 'tests.env.json');
  const command = [
    process.execPath,
    '-e',
    `require('fs').writeFileSync(${JSON.stringify(out)}, ` +
      `JSON.stringify(process.env)); console.log('1 passed, 0 failed')`,
  ];
  await runTestSuite({ command, timeoutMs: 60_000 });
  const env = readJson(out);
  expectScrubbed(env);
  expect(env.CI).toBe('true');
});

test(
  'process driver: the service gets the scrubbed env plus the ' + "plan's own env, even a secret-looking name",
  async () => {
    const out = path.join(dir, 'service.env.json');
    const command = [
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(out)}, ` +
        `JSON.stringify(process.env)); setInterval(() => {}, 1000)`,
    ];
    const driver = new ProcessDriver(
      {
        name: 'svc',
        driver: 'process',
        command,
        env: { SERVICE_API_TOKEN: 'given-by-plan' },
        runDir: 'run',
        baseUrl: 'http://127.0.0.1:1',
        startTimeout: '5s',
        stopGrace: '1s',
      } as never,
      { cwd: dir, startSettleMs: 300 },
    );
    await driver.start();
    try {
      while (!fs.existsSync(out) || !fs.readFileSync(out, 'utf8')) await new Promise((r) => setTimeout(r, 50));
      const env = readJson(out);
      expect(env.SERVICE_API_TOKEN).toBe('given-by-plan');
      delete env.SERVICE_API_TOKEN;
      expectScrubbed(env);
    } finally {
      await driver.stop(1_000);
    }
  },
);
