/**
 * Hostile and empty input, sent by the real `temporal` CLI to a real cutover on the dev server:
 * every signal and update the cutover knows, with nothing, {}, wrong types, unknown fields and
 * 100 kB strings. Afterwards the cutover still answers `status`, lists what it refused, still
 * honours an abort (even an empty one) and its history has no failed workflow task.
 */
import fs from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { MESSAGES_KEPT } from '../../domain/message-log';
import { startService } from '../../activities/service-control';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { cli, cutoverCli, HUGE, JUNK, taskFailures } from './temporal-cli';
import { viewOrThrow } from '../../domain/outcome';

const suite = devServerWithWorker();
let env: TestWorkflowEnvironment;
let fixture: DemoFixture;
let c: ReturnType<typeof cli>;

beforeAll(async () => {
  env = suite.env;
  c = cli(env.address);
  fixture = await createDemoFixture();
  await startService(fixture.loaded(), 'v1');
});
afterAll(() => fixture?.cleanup());

// CUTOVER_RECORD_HOSTILE=FILE writes this test's history for test/replay (without the 100 kB payloads, to keep it
// small).
const RECORD = process.env.CUTOVER_RECORD_HOSTILE;
const SIGNAL_JUNK = RECORD ? JUNK.filter((j) => !/100 kB/.test(j.label)) : JUNK;

test(
  'junk signals and updates at the gate are refused and listed; ' +
    'an empty abort still ends it ABORTED with V1 untouched',
  async () => {
    const handle = await startCutover(env.client, fixture.plan);
    const id = handle.workflowId;
    await waitForStatus(handle, (v) => v.status === 'AWAITING_APPROVAL');

    for (const { raw } of SIGNAL_JUNK) {
      expect((await c.signal(id, 'approveSignal', raw)).code).toBe(0);
      expect((await c.signal(id, 'resume', raw)).code).toBe(0);
    }
    expect((await c.signal(id, 'resume', '{"phase": "phase9"}')).code).toBe(0);
    // Updates: the caller is told at once, and the rejection is final (not "retryable: true").
    for (const { raw } of JUNK) {
      const r = await c.update(id, 'approve', raw);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/^Error: unable to update workflow: .+\(type: ApprovalRejected, retryable: false\)/);
    }
    const denied = await c.update(id, 'approve', '{"role": "engineering", "approver": "mallory", "decision": "GO"}');
    expect(denied.err).toMatch(
      /mallory may not approve for engineering: the plan allows alice \(type: ApprovalRejected, retryable: false\)/,
    );
    expect((await c.update(id, 'approve', undefined)).err).toMatch(
      /approval: no payload: send \{"role": "engineering"/,
    );

    const view = await c.status<CutoverView>(id);
    expect(view.status).toBe('AWAITING_APPROVAL');
    expect(view.approvals ?? []).toEqual([]);
    // Every junk vote signal is listed, bounded, with its strings cut short.
    expect(view.rejectedApprovals.length).toBeLessThanOrEqual(MESSAGES_KEPT);
    expect(view.rejectedApprovals.length).toBe(SIGNAL_JUNK.length);
    expect(JSON.stringify(view.rejectedApprovals).length).toBeLessThan(20_000);
    // Resume: the junk objects are taken (resume every held phase: none here) with notes; the rest refused.
    const resumes = view.rejectedMessages!.last.filter((m) => m.name === 'resume');
    expect(resumes.find((m) => /phase: "phase9" is not a phase/.test(m.reason))).toMatchObject({
      honoured: false,
      excerpt: '{"phase":"phase9"}',
    });
    expect(resumes.filter((m) => !m.honoured).map((m) => m.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/payload is a number/),
        expect.stringMatching(/payload is an array/),
      ]),
    );
    expect(view.rejectedMessages!.last.every((m) => m.excerpt.length < 300)).toBe(true);

    // A real vote still counts, and the gate says who is still missing.
    expect((await c.update(id, 'approve', '{"role": "engineering", "approver": "alice", "decision": "GO"}')).code).toBe(
      0,
    );
    expect((await c.status<CutoverView>(id)).message).toBe('GO/NO-GO: engineering ✓ (alice); waiting for operations');

    expect((await c.signal(id, 'abort', undefined)).code).toBe(0);
    const final = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(final.status).toBe('ABORTED');
    expect(final.message).toMatch(/^aborted by someone \(no payload\); V1 untouched and serving/);
    expect(final.stopRequest).toMatchObject({ kind: 'abort' });
    expect(await isUp(fixture.urls.v1)).toBe(true);
    expect(await taskFailures(c, id)).toEqual([]);
    if (RECORD) fs.writeFileSync(RECORD, JSON.stringify(await c.history(id), null, 2));
  },
);

test(
  'a malformed rollback (100 kB reason, wrong types, unknown ' + 'fields) held before Phase 1 is still honoured',
  async () => {
    const handle = await startCutover(env.client, fixture.plan, { autoApprove: true, holdBefore: ['phase1'] });
    const id = handle.workflowId;
    await waitForStatus(handle, (v) => v.heldBefore === 'phase1');
    expect((await c.signal(id, 'rollback', JSON.stringify({ reason: HUGE, by: 42, extra: 'field' }))).code).toBe(0);
    const final = (await handle.result().catch(viewOrThrow)) as CutoverView;
    // Before Phase 3 nothing changed: a rollback request ends ABORTED with V1 serving.
    expect(final.status).toBe('ABORTED');
    expect(final.message).toMatch(/^rollback requested by someone: x{500}…; V1 untouched/);
    expect(final.rejectedMessages!.last).toEqual([
      expect.objectContaining({
        name: 'rollback',
        honoured: true,
        reason: expect.stringMatching(
          /unknown field\(s\) "extra".*reason: 100000 characters, cut to 500.*by: expected a string, got a number/,
        ),
      }),
    ]);
    expect(await isUp(fixture.urls.v1)).toBe(true);
    expect(await taskFailures(c, id)).toEqual([]);
  },
);

test('a bare string as the abort payload is taken as the reason', async () => {
  const handle = await startCutover(env.client, fixture.plan, { autoApprove: true, holdBefore: ['phase1'] });
  await waitForStatus(handle, (v) => v.heldBefore === 'phase1');
  expect((await c.signal(handle.workflowId, 'abort', '"window closed"')).code).toBe(0);
  const final = (await handle.result().catch(viewOrThrow)) as CutoverView;
  expect(final.status).toBe('ABORTED');
  expect(final.message).toMatch(/^aborted by someone \(malformed payload\): window closed; V1 untouched/);
  expect(await taskFailures(c, handle.workflowId)).toEqual([]);
});

test(
  '`cutover abort` confirms the cutover took the stop; a finished ' +
    'one, or a phase that does not exist, is told plainly',
  async () => {
    const handle = await startCutover(env.client, fixture.plan, { autoApprove: true, holdBefore: ['phase1'] });
    const id = handle.workflowId;
    await waitForStatus(handle, (v) => v.heldBefore === 'phase1');
    const badPhase = await cutoverCli(env.address, ['resume', id, '--phase', 'phase9']);
    expect(badPhase.code).toBe(2);
    expect(badPhase.err).toMatch(/resume: option\.phase: use one of phase0, gate, phase1/);
    const r = await cutoverCli(env.address, ['abort', id, '--reason', 'window closed']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^abort taken by ${id}: aborted by \\S+: window closed \\((RUNNING|ABORTED)\\)`));
    expect(((await handle.result().catch(viewOrThrow)) as CutoverView).status).toBe('ABORTED');
    const again = await cutoverCli(env.address, ['abort', id]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(new RegExp(`${id} is not running \\(finished, or no such workflow\\): nothing sent`));
  },
);
