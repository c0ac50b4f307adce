/**
 * With the codec on, a plan's `env` value and a notification's text are not readable in the
 * history the server stores (read raw, without the codec: by the SDK and by `temporal workflow
 * show`), and both are readable again through our codec server: in the `temporal` CLI with
 * --codec-endpoint, and in the Web UI (headless Chromium) started with --ui-codec-endpoint.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService } from '../../activities/service-control';
import { codecDataConverter } from '../../infra/payload-codec';
import { startDevServer } from '../helpers/temporal-env';
import { killGroup, startWorkerProcess } from '../helpers/worker-process';
import { createDemoFixture, freePort, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { base64Forms, newKeys, startCodecServer, type CodecServerProcess } from './codec-helpers';
import { newPage, uiTest } from '../helpers/ui-browser';
import { viewOrThrow } from '../../domain/outcome';

const TEMPORAL = process.env.CUTOVER_TEMPORAL_CLI ?? path.resolve(__dirname, '../../.tools/bin/temporal');
const keys = newKeys();
const ENV_SECRET = `env-value-${crypto.randomBytes(6).toString('hex')}`;
const NOTE_SECRET = `abort-note-${crypto.randomBytes(6).toString('hex')}`;
/** printed by a failing test command: an activity failure's message quotes it */
const OUTPUT_SECRET = `test-output-${crypto.randomBytes(6).toString('hex')}`;
const SECRETS = [ENV_SECRET, NOTE_SECRET, OUTPUT_SECRET];

let env: TestWorkflowEnvironment;
let worker: ChildProcess | undefined;
let codecServer: CodecServerProcess;
let uiPort: number;
let fixture: DemoFixture;
/** the aborted cutover, then the one whose test suite failed */
const runs: { workflowId: string; runId: string; view: CutoverView }[] = [];

beforeAll(async () => {
  uiPort = await freePort();
  const uiOrigins = [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
  codecServer = await startCodecServer(keys, uiOrigins);
  env = await startDevServer(['--log-level', 'error', '--ui-codec-endpoint', codecServer.url], { uiPort });
  // The real worker process (worker/main.ts), its codec from the environment as in production;
  // it bundles the workflows itself, with the encoded-failure converter inside the sandbox.
  process.env.CUTOVER_CODEC_KEYS = keys;
  worker = await startWorkerProcess(env.address);

  // A cutover that reaches the gate and is aborted there: the plan (with V1's env) is the
  // workflow input and every activity's input; the abort reason becomes a notification.
  fixture = await createDemoFixture({ v1Env: { LOANS_DB_DSN: ENV_SECRET } });
  await startService(fixture.loaded(), 'v1');
  const client = new Client({ connection: env.connection, namespace: 'default', dataConverter: codecDataConverter() });
  const finish = async (handle: Awaited<ReturnType<typeof startCutover>>) =>
    runs.push({
      workflowId: handle.workflowId,
      runId: (await handle.describe()).runId,
      view: (await handle.result().catch(viewOrThrow)) as CutoverView,
    });
  const aborted = await startCutover(client, fixture.plan);
  await waitForStatus(aborted, (v) => v.status === 'AWAITING_APPROVAL');
  await aborted.signal('abort', { reason: NOTE_SECRET, by: 'bob' });
  await finish(aborted);
  // Phase 2's test suite fails printing OUTPUT_SECRET: the ActivityTaskFailed message holds it.
  const failing = [
    process.execPath,
    '-e',
    `console.log(${JSON.stringify(OUTPUT_SECRET)}); console.log('0 ` + `passed, 1 failed'); process.exit(1)`,
  ];
  await finish(
    await startCutover(
      client,
      { ...fixture.plan, tests: { ...fixture.plan.tests, command: failing } },
      { autoApprove: true },
    ),
  );
  expect(runs.map((r) => r.view.status)).toEqual(['ABORTED', 'ABORTED']);
}, 240_000);

afterAll(async () => {
  delete process.env.CUTOVER_CODEC_KEYS;
  if (worker) await killGroup(worker);
  await fixture?.cleanup();
  await env?.teardown();
  await codecServer?.stop();
});

/** Every payload in `temporal workflow show --output json`: where it sits, its encoding, its data as text. */
function payloadsOf(json: unknown): { where: string; encoding: string; text: string }[] {
  const found: { where: string; encoding: string; text: string }[] = [];
  const walk = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, any>;
    if (typeof obj.metadata?.encoding === 'string' && 'data' in obj) {
      found.push({
        where,
        encoding: Buffer.from(obj.metadata.encoding, 'base64').toString(),
        text: Buffer.from(String(obj.data), 'base64').toString(),
      });
      return;
    }
    for (const [k, v] of Object.entries(obj)) walk(v, `${where}.${k}`);
  };
  walk(json, '$');
  return found;
}
const showJson = (workflowId: string, ...extra: string[]) =>
  temporalCli(
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--output',
    'json',
    '--no-json-shorthand-payloads',
    ...extra,
  );

const temporalCli = async (...args: string[]) =>
  (
    await promisify(execFile)(TEMPORAL, [...args, '--address', env.address, '--namespace', 'default'], {
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout;

test(
  'the secrets really went through the workflows: a notification ' + 'with the note, a phase failed quoting the output',
  () => {
    const notifications = fs.readFileSync(path.join(fixture.workdir, 'notifications.log'), 'utf8');
    expect(notifications).toContain(NOTE_SECRET);
    expect(runs[1]!.view.phases.find((p) => p.id === 'phase2')).toMatchObject({
      state: 'failed',
      message: expect.stringContaining(OUTPUT_SECRET),
    });
  },
);

test.each([0, 1])(
  'raw history of cutover %i (SDK client without the codec): no ' +
    'secret, not even base64-encoded; every payload but search ' +
    'attributes encrypted',
  async (i) => {
    const { workflowId } = runs[i]!;
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const secret of SECRETS) {
      expect(bytes.includes(secret)).toBe(false);
      for (const form of base64Forms(secret)) expect(bytes.includes(form)).toBe(false);
    }
    const all = payloadsOf(JSON.parse(await showJson(workflowId)));
    const plain = all.filter((p) => p.encoding !== 'binary/encrypted').map((p) => `${p.where} (${p.encoding})`);
    // summaries (activity and timer "user metadata") are among the encrypted ones
    expect(all.filter((p) => /userMetadata\.summary$/.test(p.where)).length).toBeGreaterThan(3);
    // only search attribute values (status, phase, plan name) are stored in the clear
    // patch markers carry only the patch id (written by the SDK's core, outside the codec)
    expect(
      plain.filter(
        (p) =>
          !/\.searchAttributes\.indexedFields\./.test(p) &&
          !/markerRecordedEventAttributes\.details\.patch-data\./.test(p),
      ),
    ).toEqual([]);
    expect(plain.length).toBeGreaterThan(0);
  },
);

test(
  '`temporal workflow show` without a codec endpoint shows no ' + 'secret; with --codec-endpoint it shows them all',
  async () => {
    const outputs = await Promise.all(runs.map((r) => showJson(r.workflowId)));
    const raw = outputs.join('\n');
    const rawTexts = outputs
      .flatMap((out) => payloadsOf(JSON.parse(out)))
      .map((p) => p.text)
      .join('\n');
    for (const secret of SECRETS) {
      expect(raw).not.toContain(secret);
      for (const form of base64Forms(secret)) expect(raw).not.toContain(form);
      expect(rawTexts).not.toContain(secret);
    }
    // decoded: the CLI prints each payload's data base64-encoded, so read them as text
    const decoded = (
      await Promise.all(runs.map((r) => showJson(r.workflowId, '--codec-endpoint', codecServer.url)))
    ).flatMap((out) => payloadsOf(JSON.parse(out)));
    expect(decoded.filter((p) => p.encoding === 'binary/encrypted')).toEqual([]);
    const texts = decoded.map((p) => p.text).join('\n');
    for (const secret of SECRETS) expect(texts).toContain(secret);
  },
);

test('a codec server with a token decodes only for `temporal --codec-auth "Bearer <token>"`', async () => {
  const guarded = await startCodecServer(keys, [], { CUTOVER_CODEC_SERVER_TOKEN: 'tok-for-test' });
  try {
    const { workflowId } = runs[0]!;
    const texts = payloadsOf(
      JSON.parse(await showJson(workflowId, '--codec-endpoint', guarded.url, '--codec-auth', 'Bearer tok-for-test')),
    )
      .map((p) => p.text)
      .join('\n');
    expect(texts).toContain(NOTE_SECRET);
    // without the token the CLI gets 401s and retries until its command timeout: it fails, showing nothing
    await expect(showJson(workflowId, '--codec-endpoint', guarded.url, '--command-timeout', '5s')).rejects.toThrow();
  } finally {
    await guarded.stop();
  }
});

test('the cutover CLI decrypts with the keys, and without them says which setting is missing', async () => {
  const cli = (extraEnv: Record<string, string>) =>
    promisify(execFile)(path.join(REPO, 'bin/cutover'), ['status', runs[0]!.workflowId, '--json'], {
      env: {
        ...process.env,
        CUTOVER_CODEC_KEYS: '',
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_NAMESPACE: 'default',
        ...extraEnv,
      },
    });
  const { stdout } = await cli({ CUTOVER_CODEC_KEYS: keys });
  expect(JSON.parse(stdout)).toMatchObject({ status: 'ABORTED', message: expect.stringContaining(NOTE_SECRET) });
  await expect(cli({})).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining(
      'payloads are encrypted: set CUTOVER_CODEC_KEYS or ' + "CUTOVER_CODEC_KEY_FILE to the worker's codec keys",
    ),
  });
  await expect(cli({ CUTOVER_CODEC_KEYS: 'k1:c2hvcnQ=' })).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('CUTOVER_CODEC_KEYS line 1: key "k1" is 5 bytes, AES-256 needs 32'),
  });
});

uiTest()(
  'the Web UI, given our codec server, shows the decoded plan env and abort note',
  async () => {
    const page = await newPage();
    try {
      const { workflowId, runId } = runs[0]!;
      // no timeouts of our own: waited on until the text is there (jest's test timeout bounds it)
      await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows/` + `${workflowId}/${runId}/history`, {
        timeout: 0,
      });
      for (const secret of [ENV_SECRET, NOTE_SECRET]) {
        await page.waitForFunction((s: string) => (globalThis as any).document.body.innerText.includes(s), secret, {
          timeout: 0,
          polling: 250,
        });
      }
    } finally {
      await page.close();
    }
  },
  180_000,
);
