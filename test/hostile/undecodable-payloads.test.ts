/**
 * Payloads no worker can read, sent by the real `temporal` CLI (--input-meta, raw bytes) to every
 * workflow type at its start and while it runs: an encoding nobody knows, `json/protobuf` of a
 * message we have no schema for, and `binary/encrypted` garbage (a key id nobody has, altered
 * ciphertext), with the worker's codec off and on (one worker after the other). Each is
 * input the workflow refuses — recorded where its status and details show it — never a workflow
 * task that fails for ever: no history has a WorkflowTaskFailed event, and a correct vote, abort
 * or rollback sent afterwards is honoured.
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { CutoverView } from '../../domain/cutover-model';
import type { MonitoringView } from '../../domain/monitoring-model';
import type { RollbackView } from '../../domain/rollback-model';
import { TASK_QUEUE } from '../../domain/names';
import { startService } from '../../activities/service-control';
import { backupForCutover } from '../../activities/backup-steps';
import { AesGcmPayloadCodec, codecDataConverter } from '../../infra/payload-codec';
import { parseCodecKeys } from '../../infra/codec-config';
import { outcomeView, viewOrThrow } from '../../domain/outcome';
import { recordHistory } from '../helpers/record-history';
import { bundleWorkflows, createWorker, startDevServer } from '../helpers/temporal-env';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, uniqueId, waitForStatus } from '../helpers/cutover-runner';
import { startMonitoring } from '../helpers/after-cutover';
import { newKeys } from '../codec/codec-helpers';
import { cli, taskFailures, type RawPayload } from './temporal-cli';

const KEYS = newKeys();
const VOTE = (approver: string, role: string) => JSON.stringify({ role, approver, decision: 'GO' });

interface Bad {
  label: string;
  payload: RawPayload;
  /** the reason the workflow records, codec off / codec on */
  off: RegExp;
  on: RegExp;
}

/** What every message gets; built once, so the encrypted ones are real ciphertext of the test's key. */
async function badPayloads(): Promise<Bad[]> {
  const codec = new AesGcmPayloadCodec(parseCodecKeys(KEYS, 'test'));
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ reason: 'sealed', by: 'mallory' })]);
  const meta = (p: typeof sealed) =>
    Object.fromEntries(Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('utf8')]));
  const altered = Buffer.from(sealed!.data!);
  altered[20] = altered[20]! ^ 0x01;
  const noCodec = /encoding binary\/encrypted: this worker has no codec keys/;
  return [
    {
      label: 'an unknown encoding',
      payload: { meta: { encoding: 'foo/bar' }, data: Buffer.from('{"reason": "x"}') },
      off: /encoding foo\/bar$/,
      on: /encoding foo\/bar$/,
    },
    {
      label: 'json/protobuf of a message we have no schema for',
      payload: {
        meta: { encoding: 'json/protobuf', messageType: 'temporal.api.common.v1.WorkflowExecution' },
        data: Buffer.from('{"workflowId": "x"}'),
      },
      off: /encoding json\/protobuf$/,
      on: /encoding json\/protobuf$/,
    },
    {
      label: 'binary/encrypted under a key id nobody has',
      payload: { meta: { encoding: 'binary/encrypted', 'encryption-key-id': 'k9' }, data: Buffer.alloc(64, 7) },
      off: noCodec,
      on: /binary\/encrypted: payload encrypted with key id "k9", which is not configured/,
    },
    {
      label: 'binary/encrypted with altered bytes',
      payload: { meta: meta(sealed), data: altered },
      off: noCodec,
      on: /binary\/encrypted: encrypted payload \(key id "k1"\) failed authentication/,
    },
  ];
}

let env: TestWorkflowEnvironment;
let bundle: { code: string };
let c: ReturnType<typeof cli>;
let bad: Bad[];
beforeAll(async () => {
  env = await startDevServer();
  bundle = await bundleWorkflows();
  c = cli(env.address);
  bad = await badPayloads();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

describe.each([
  ['codec off', undefined],
  ['codec on', KEYS],
])('with the worker’s %s', (_label, keys) => {
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  let fixture: DemoFixture | undefined;
  const reason = (b: Bad) => (keys ? b.on : b.off);
  /** Every workflow a test made: none may have a failed workflow task. */
  const ids: string[] = [];

  beforeAll(async () => {
    if (keys) process.env.CUTOVER_CODEC_KEYS = keys;
    worker = await createWorker(env, bundle);
    delete process.env.CUTOVER_CODEC_KEYS;
    running = worker.run();
    // The client encrypts like the worker when the codec is on: its inputs and the status it reads.
    client = keys
      ? new Client({
          connection: env.connection,
          namespace: 'default',
          dataConverter: codecDataConverter({ CUTOVER_CODEC_KEYS: keys }),
        })
      : env.client;
  }, 120_000);
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
  });

  /** Sends each bad payload under each name at once, all accepted by the server (the harm would come at the worker). */
  async function sendAll(id: string, names: string[]) {
    const sent = await Promise.all(bad.flatMap((b) => names.map((name) => c.signal(id, name, b.payload))));
    expect(sent.map((r) => r.code)).toEqual(sent.map(() => 0));
    // A query's argument is decoded too: the status handler ignores it and answers. One at a time:
    // the server holds only a few queries while a workflow task runs ("consistent query buffer is full").
    for (const b of bad) {
      const r = await c.query(id, 'status', b.payload);
      expect(r.code === 0 ? 0 : r.err).toBe(0);
    }
  }
  /** One entry per bad payload, in any order (they were sent at once). */
  const onePerPayload = (list: string[], prefix: string) => {
    expect(list).toHaveLength(bad.length);
    expect(list).toEqual(
      expect.arrayContaining(
        bad.map((b) => expect.stringMatching(new RegExp(`${prefix}${reason(b).source.replace(/\$$/, '')}`))),
      ),
    );
  };

  test(
    'every workflow type started with each undecodable input ends ' + 'at once the documented way, naming the reason',
    async () => {
      const start = async (type: string, b: Bad) => {
        const id = uniqueId(`undecodable-${type}`);
        ids.push(id);
        expect((await c.start(id, type, b.payload)).code).toBe(0);
        return {
          b,
          id,
          result: await client.workflow
            .getHandle(id)
            .result()
            .catch((err: unknown) => outcomeView(err) ?? err),
        };
      };
      const text = (b: Bad, prefix: string) =>
        new RegExp(`^${prefix}input could not be decoded: ${reason(b).source.replace(/^\^/, '')}`);
      for (const { b, result } of await Promise.all(bad.map((b) => start('cutoverWorkflow', b)))) {
        expect(result).toMatchObject({
          status: 'ABORTED',
          message: expect.stringMatching(text(b, 'nothing changed: ')),
        });
      }
      for (const { b, result } of await Promise.all(bad.map((b) => start('rollbackWorkflow', b)))) {
        expect(result).toMatchObject({
          status: 'FAILED',
          message: expect.stringMatching(text(b, 'nothing touched: ')),
          steps: [],
        });
      }
      for (const { b, id, result } of await Promise.all(bad.map((b) => start('monitoringWorkflow', b)))) {
        expect(result).toMatchObject({
          status: 'FAILED',
          message: expect.stringMatching(text(b, 'refused, nothing checked or changed: ')),
        });
        expect((await client.workflow.getHandle(id).query<MonitoringView>('status')).status).toBe('FAILED');
      }
      for (const { b, id, result } of await Promise.all(bad.map((b) => start('validationWorkflow', b)))) {
        // nothing validated: the run ends FAILED (ValidationNotRun) with its view as the failure's details
        expect(result).toMatchObject({
          status: 'FAILED',
          summary: expect.stringMatching(text(b, 'invalid input, nothing validated: ')),
        });
        expect((await client.workflow.getHandle(id).describe()).searchAttributes.CutoverStatus).toEqual(['FAILED']);
      }
    },
  );

  test(
    'a cutover at its GO/NO-GO gate refuses and lists them; a ' +
      'correct vote still counts and a correct abort ends it',
    async () => {
      fixture = await createDemoFixture();
      await startService(fixture.loaded(), 'v1');
      const handle = await startCutover(client, fixture.plan);
      ids.push(handle.workflowId);
      await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');
      await sendAll(handle.workflowId, ['approveSignal', 'resume']);
      for (const b of bad) {
        const r = await c.update(handle.workflowId, 'approve', b.payload);
        expect(r.code).not.toBe(0);
        // With the codec on the failure's message is encrypted too; its type is not.
        expect(r.err).toMatch(
          keys
            ? /\(type: ApprovalRejected, retryable: false\)/
            : /approval: payload could not be decoded: .*\(type: ApprovalRejected, retryable: false\)/,
        );
      }
      const view = await handle.query<CutoverView>('status');
      expect(view.status).toBe('AWAITING_APPROVAL');
      // Signal votes are listed with the other rejected votes; resumes in the message log, with what was sent.
      onePerPayload(
        view.rejectedApprovals.map((r) => r.reason),
        '^approval: payload could not be decoded: ',
      );
      const resumes = view.rejectedMessages!.last.filter((m) => m.name === 'resume');
      onePerPayload(
        resumes.map((m) => m.reason),
        '^payload could not be decoded: ',
      );
      expect(resumes.every((m) => !m.honoured && m.excerpt.startsWith('{"undecodable":'))).toBe(true);

      await client.workflow
        .getHandle(handle.workflowId)
        .executeUpdate('approve', { args: [JSON.parse(VOTE('alice', 'engineering'))] });
      expect((await handle.query<CutoverView>('status')).message).toBe(
        'GO/NO-GO: engineering ✓ (alice); waiting for operations',
      );
      expect((await c.signal(handle.workflowId, 'abort', '{"reason": "window closed", "by": "bob"}')).code).toBe(0);
      const final = (await handle.result().catch(viewOrThrow)) as CutoverView;
      expect(final).toMatchObject({
        status: 'ABORTED',
        message: expect.stringMatching(/^aborted by bob: window closed; V1 untouched and serving/),
      });
      expect(await isUp(fixture.urls.v1)).toBe(true);
    },
  );

  test('an undecodable abort is still an abort: honoured, with the reason noted', async () => {
    fixture = await createDemoFixture();
    await startService(fixture.loaded(), 'v1');
    const handle = await startCutover(client, fixture.plan, { autoApprove: true, holdBefore: ['phase1'] });
    ids.push(handle.workflowId);
    await waitForStatus(handle, (v) => v.heldBefore === 'phase1');
    const b = bad[bad.length - 1]!;
    expect((await c.signal(handle.workflowId, 'abort', b.payload)).code).toBe(0);
    const final = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(final).toMatchObject({
      status: 'ABORTED',
      message: expect.stringMatching(/^aborted by someone \(undecodable payload\); V1 untouched and serving/),
    });
    expect(final.rejectedMessages!.last).toEqual([
      expect.objectContaining({
        name: 'abort',
        honoured: true,
        reason: expect.stringMatching(/^payload could not be decoded: .*: honoured anyway$/),
      }),
    ]);
  });

  test(
    'a cutover in Phase 4 (V1 stopped) refuses them, then rolls ' + 'back on a correct rollback: V1 serving',
    async () => {
      fixture = await createDemoFixture();
      await startService(fixture.loaded(), 'v1');
      const handle = await startCutover(client, fixture.plan, { autoApprove: true, holdBefore: ['phase4'] });
      ids.push(handle.workflowId, `${handle.workflowId}-rollback`);
      await waitForStatus(handle, (v) => v.heldBefore === 'phase4');
      await sendAll(handle.workflowId, ['resume', 'approveSignal']);
      const view = await handle.query<CutoverView>('status');
      expect(view.heldBefore).toBe('phase4');
      onePerPayload(
        view.rejectedMessages!.last.filter((m) => m.name === 'resume').map((m) => m.reason),
        '^payload could not be decoded: ',
      );
      expect((await c.signal(handle.workflowId, 'rollback', '{"reason": "latency", "by": "alice"}')).code).toBe(0);
      const final = (await handle.result().catch(viewOrThrow)) as CutoverView;
      expect(final).toMatchObject({
        status: 'ROLLED_BACK',
        rollback: { status: 'ROLLED_BACK' },
        message: expect.stringMatching(/rollback requested by alice: latency/),
      });
      expect(await isUp(fixture.urls.v1)).toBe(true);
      expect(await isUp(fixture.urls.v2)).toBe(false);
      // encrypted histories need the codec to replay: the suite records the clear ones
      if (!keys) recordHistory(env.address, handle.workflowId, 'cutover-undecodable-signals-rolled-back.json');
    },
  );

  test(
    'a monitoring refuses them as votes (and leaves them unread as ' +
      'signals it has no handler for); a correct rollback still rolls back',
    async () => {
      const SENTINEL_ONLY = {
        duration: '10m',
        cadence: [{ until: '10m', every: '5m' }],
        sentinelEvery: '2s',
        summaryEvery: '10m',
        decisionPoints: [],
      };
      fixture = await createDemoFixture({
        mutate: (plan) =>
          Object.assign(plan, { monitoring: SENTINEL_ONLY, thresholds: { latencySamples: 3, memoryDrift: 0.5 } }),
      });
      const handle = await startMonitoring(client, fixture, 'undecodable');
      ids.push(handle.workflowId);
      while (!(await handle.query<MonitoringView>('status')).next) await new Promise((r) => setTimeout(r, 200));
      await sendAll(handle.workflowId, ['approveSignal', 'abort', 'resume']);
      for (const b of bad)
        expect((await c.update(handle.workflowId, 'approve', b.payload)).err).toMatch(
          /\(type: ApprovalRejected, retryable: false\)/,
        );
      const view = await handle.query<MonitoringView>('status');
      expect(view.status).toBe('MONITORING');
      onePerPayload(
        view.rejectedVotes.map((r) => r.reason),
        '^approval: payload could not be decoded: ',
      );
      expect((await c.signal(handle.workflowId, 'rollback', '{"reason": "error budget", "by": "carol"}')).code).toBe(0);
      const final = (await handle.result().catch(viewOrThrow)) as MonitoringView;
      ids.push(final.rollback?.workflowId ?? `${final.cutoverId}-rollback`);
      expect(final).toMatchObject({
        status: 'ROLLED_BACK',
        rollback: { reason: 'rollback requested by carol: error budget', status: 'ROLLED_BACK' },
      });
      expect(await isUp(fixture.urls.v1)).toBe(true);
    },
    240_000,
  );

  test('a manual rollback and a validation sent them while running still finish, and answer status', async () => {
    // Two fixtures: the rollback brings V1 of one back while the validation reads V1 of the other.
    fixture = await createDemoFixture();
    // its V1 answers in 20 ms: 1,000 timed requests take 20 s, so the validation runs when the payloads arrive
    const other = await createDemoFixture({ v1Env: { DEMO_FAULT_LATENCY_MS: '20' } });
    try {
      const loaded = fixture.loaded();
      await startService(loaded, 'v2');
      await backupForCutover(loaded, 'cutover-undecodable-rollback');
      await startService(other.loaded(), 'v1');
      const rollbackId = uniqueId('undecodable-manual-rollback');
      const validationId = uniqueId('undecodable-validation');
      ids.push(rollbackId, validationId);
      const validation = await client.workflow.start('validationWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: validationId,
        args: [{ plan: { ...other.plan, thresholds: { latencySamples: 1000 } }, target: 'v1' }],
      });
      const rollback = await client.workflow.start('rollbackWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: rollbackId,
        args: [{ plan: fixture.plan, reason: 'undecodable input test', requestedBy: 'alice' }],
      });
      await Promise.all([
        sendAll(rollbackId, ['abort', 'rollback']),
        sendAll(validationId, ['abort', 'approveSignal']),
      ]);
      expect((await rollback.query<RollbackView>('status')).reason).toBe('undecodable input test');
      expect(((await rollback.result().catch(viewOrThrow)) as RollbackView).status).toBe('ROLLED_BACK');
      expect(await isUp(fixture.urls.v1)).toBe(true);
      expect(await isUp(fixture.urls.v2)).toBe(false);
      const result = (await validation.result().catch(viewOrThrow)) as { status: string; reportPath: string };
      expect(['PASS', 'WARN']).toContain(result.status);
      expect(await validation.query('status')).toMatchObject({ status: result.status, reportPath: result.reportPath });
    } finally {
      await other.cleanup();
    }
  }, 240_000);

  test(
    'no workflow these tests ran, nor any rollback they started, ' + 'has a failed workflow task in its history',
    async () => {
      expect(ids.length).toBeGreaterThan(20);
      const failed = await Promise.all(ids.map(async (id) => ({ id, failures: await taskFailures(c, id) })));
      expect(failed.filter((f) => f.failures.length)).toEqual([]);
    },
  );
});
