/**
 * The deployment files a user copies, read as their tools read them: the Dockerfile line by line,
 * the systemd units as key/value sections (and by `systemd-analyze verify` where it exists), the
 * example environment file against the variables the code reads and the worker's own config checks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileOptions } from '@temporalio/worker/lib/runtime-options';
import { parseDuration } from '../../domain/duration';
import { loadCodecKeys } from '../../infra/codec-config';
import { workerVersion } from '../../worker/build-id';
import { currentPolicyFromEnv } from '../../worker/deployment';
import { planPolicyFromEnv } from '../../worker/worker-options';
import { tuningFromEnv } from '../../worker/worker-tuning';
import { REPO } from '../helpers/demo-fixture';
import { dockerStages, envPairs, parseEnvFile, parseUnit, systemdSeconds, type Unit } from '../helpers/deploy-files';
import { envReadsByCode, envReadsIn } from '../helpers/env-reads';

const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');
const SYSTEMD = 'deploy/systemd';
const UNITS = { worker: 'cutover-worker.service', agent: 'cutover-host-agent@.service' } as const;
const units: Record<keyof typeof UNITS, Unit> = {
  worker: parseUnit(read(`${SYSTEMD}/${UNITS.worker}`)),
  agent: parseUnit(read(`${SYSTEMD}/${UNITS.agent}`)),
};
const envExample = read(`${SYSTEMD}/worker.env.example`);
const envFile = parseEnvFile(envExample);

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const final = stages[stages.length - 1];
  const runs = (stage: typeof final) => stage.filter((i) => i.op === 'RUN').map((i) => i.args);

  test('builds and packs the package in a node:20-bookworm-slim stage, and installs it in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const [from, ...build] = stages[0];
    expect(from.args).toMatch(/^node:20-bookworm-slim AS \S+$/i);
    expect(final[0].args).toMatch(/^node:20-bookworm-slim$/);
    const steps = runs(build).join(' && ');
    expect(steps.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('npm run build')).toBeGreaterThan(steps.indexOf('npm ci'));
    expect(steps.indexOf('npm pack')).toBeGreaterThan(steps.indexOf('npm run build'));
  });

  test('the final stage takes only the tarball from the build, with production dependencies only', () => {
    const buildStage = /AS (\S+)$/i.exec(stages[0][0].args)![1];
    const copies = final.filter((i) => i.op === 'COPY' || i.op === 'ADD');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.args).toMatch(new RegExp(`^--from=${buildStage}\\s`));
    const install = runs(final).find((r) => /npm install/.test(r));
    expect(install).toMatch(/npm install\b.*--omit=dev/);
    expect(install).toMatch(/--prefix \/opt\/cutover\b/);
    expect(install).toMatch(/\S*cutover-\*\.tgz/);
    // TLS to Temporal Cloud: the SDK's native connection reads the system CA store, absent from -slim images
    expect(runs(final).some((r) => /apt-get install .*\bca-certificates\b/.test(r))).toBe(true);
  });

  test('runs cutover worker as a non-root user, JSON logs, no tsx anywhere', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
    const env = Object.assign({}, ...final.filter((i) => i.op === 'ENV').map((i) => envPairs(i.args)));
    expect(env).toMatchObject({ CUTOVER_LOG_PRETTY: '0' });
    expect(env.PATH).toMatch(/^\/opt\/cutover\/node_modules\/\.bin:/);
    expect(final.filter((i) => i.op === 'CMD').map((i) => JSON.parse(i.args))).toEqual([['cutover', 'worker']]);
    for (const stage of stages) for (const i of stage) expect(`${i.op} ${i.args}`).not.toMatch(/\btsx\b/);
    // graceful on `docker stop`: the signal is one the SDK's worker drains on
    const stop = final.find((i) => i.op === 'STOPSIGNAL')?.args ?? 'SIGTERM';
    expect(compileOptions({}).shutdownSignals).toContain(stop);
  });

  test('.dockerignore keeps local installs and state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.tools', '.data', 'dist', '.git']));
  });
});

describe.each(Object.keys(UNITS) as (keyof typeof UNITS)[])('systemd unit %s', (name) => {
  const unit = units[name];
  const service = unit.Service;
  const one = (key: string) => {
    expect({ key, values: service[key]?.length }).toEqual({ key, values: 1 });
    return service[key][0];
  };

  test('runs the installed cutover worker (the host agent: --host <instance>)', () => {
    const [bin, ...args] = one('ExecStart').split(/\s+/);
    expect(path.isAbsolute(bin) && path.basename(bin)).toBe('cutover');
    expect(args).toEqual(name === 'agent' ? ['worker', '--host', '%i'] : ['worker']);
    expect(Object.keys(unit)).toEqual(['Unit', 'Service', 'Install']);
    expect(unit.Install.WantedBy).toEqual(['multi-user.target']);
  });

  test('is hardened: its own user, read-only system, no home, private /tmp, no new privileges', () => {
    expect(one('User')).toBe('cutover');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('NoNewPrivileges')).toBe('yes');
    // what the worker writes is inside ReadWritePaths: its plan folders and its run folder
    const writable = one('ReadWritePaths').split(/\s+/);
    const dirs = [...envFile.active.CUTOVER_PLAN_DIR.split(':'), envFile.active.CUTOVER_RUN_DIR];
    for (const dir of dirs)
      expect({ dir, inside: writable.some((w) => dir === w || dir.startsWith(`${w}/`)) }).toEqual({
        dir,
        inside: true,
      });
  });

  test('reads /etc/cutover/worker.env, restarts on failure, and drains before systemd kills it', () => {
    expect(service.EnvironmentFile[0]).toBe('/etc/cutover/worker.env');
    expect(one('Restart')).toBe('on-failure');
    expect(systemdSeconds(one('RestartSec'))).toBeGreaterThanOrEqual(1);
    expect(systemdSeconds(one('RestartSec'))).toBeLessThanOrEqual(60);
    expect(compileOptions({}).shutdownSignals).toContain(one('KillSignal'));
    const grace = parseDuration(envFile.active.CUTOVER_SHUTDOWN_GRACE) / 1000;
    expect(systemdSeconds(one('TimeoutStopSec'))).toBeGreaterThan(grace);
  });
});

describe('systemd-analyze verify', () => {
  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const systemUnits = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => fs.existsSync(d));
  const available = analyze.status === 0 && systemUnits !== undefined;
  let root: string;

  /** verify in a root holding the system's units, ours, and an executable where ExecStart points. */
  function verify(files: Record<string, string>, instances: string[]): string {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-units-'));
    fs.mkdirSync(path.join(root, 'usr/lib/systemd'), { recursive: true });
    fs.cpSync(systemUnits!, path.join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(root, 'etc/systemd/system', file), text);
      const bin = path.join(root, parseUnit(text).Service.ExecStart[0].split(/\s+/)[0]);
      fs.mkdirSync(path.dirname(bin), { recursive: true });
      fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    }
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...instances], {
      encoding: 'utf8',
    });
    return `${r.status === 0 ? '' : `exit ${r.status}\n`}${r.stdout}${r.stderr}`;
  }

  afterEach(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('finds nothing to say about either unit (an instance of the template)', () => {
    if (!available) {
      console.warn('systemd-analyze (or the system units it needs) not found: verify skipped');
      return;
    }
    const files = Object.fromEntries(Object.values(UNITS).map((u) => [u, read(`${SYSTEMD}/${u}`)]));
    const out = verify(files, [UNITS.worker, 'cutover-host-agent@pipeline-1.service']);
    expect(out.split('\n').filter((l) => /cutover/.test(l))).toEqual([]);
    expect(out).not.toMatch(/^exit /);
  });

  test('does report a broken copy (the check above can fail)', () => {
    if (!available) {
      console.warn('systemd-analyze not found: verify skipped');
      return;
    }
    const broken = read(`${SYSTEMD}/${UNITS.worker}`).replace('KillMode=process', 'KillMode=processes');
    expect(verify({ [UNITS.worker]: broken }, [UNITS.worker])).toMatch(/kill mode/i);
  });
});

describe('worker.env.example', () => {
  const named = new Set([
    ...Object.keys(envFile.active),
    ...Object.keys(envFile.commented),
    ...[...envExample.matchAll(/\b(?:CUTOVER|TEMPORAL)_[A-Z0-9_]+\b/g)].map((m) => m[0]),
  ]);

  test('names only variables the code reads', () => {
    const reads = envReadsByCode();
    expect([...named].filter((n) => !reads.has(n))).toEqual([]);
    expect(named.size).toBeGreaterThan(15);
  });

  test('the reader tells a read from a write or a mention (the check above can fail)', () => {
    expect(envReadsIn('const a = process.env.CUTOVER_A ?? env.CUTOVER_B; x = env?.CUTOVER_C')).toEqual(
      new Set(['CUTOVER_A', 'CUTOVER_B', 'CUTOVER_C']),
    );
    expect(envReadsIn('process.env.CUTOVER_HOST = opts.host; hint("e.g. CUTOVER_SLACK_WEBHOOK")').size).toBe(0);
    expect(envReadsByCode().has('CUTOVER_SLACK_WEBHOOK')).toBe(false);
  });

  test("its values pass the worker's own configuration checks, the commented ones too", () => {
    for (const env of [envFile.active, { ...envFile.active, ...envFile.commented }]) {
      expect(() => tuningFromEnv(env)).not.toThrow();
      expect(() => workerVersion(env)).not.toThrow();
      expect(currentPolicyFromEnv(env)).toBe('auto');
      expect(planPolicyFromEnv(env)).toEqual({ planDirs: ['/srv/cutover/plans'], allowInlinePlans: false });
      expect(parseDuration(env.CUTOVER_SHUTDOWN_GRACE)).toBe(30_000);
    }
    // payload encryption stays off until a key file is configured
    expect(loadCodecKeys(envFile.active)).toBeUndefined();
    expect(envFile.commented.CUTOVER_CODEC_KEY_FILE).toMatch(/^\/etc\/cutover\//);
  });
});
