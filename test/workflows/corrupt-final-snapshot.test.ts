/**
 * The done-when of "rollback trusts only what the cutover recorded", on the dev server with the
 * real demo pipeline: the final snapshot is corrupted after V1 stopped; the cutover's rollback
 * refuses it (no silent fallback) and leaves things as they are; then a manual
 * `cutover rollback --plan … --backup <Phase 1 label>` restores the intact Phase 1 archive.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService } from '../../activities/service-control';
import { readManifest } from '../../activities/backup-manifest';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { demoFixturePerTest, isUp, REPO } from '../helpers/demo-fixture';
import { startCutover, waitForStatus } from '../helpers/cutover-runner';
import { viewOrThrow } from '../../domain/outcome';

// The plan goes to the worker as a file, as `cutover start` sends it: the fixture lives under the temp dir.
const suite = devServerWithWorker({ planDirs: [os.tmpdir()] });
let env: TestWorkflowEnvironment;
const fixtures = demoFixturePerTest();
beforeAll(() => (env = suite.env));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO, 'node_modules/.bin/tsx'),
      ['client/main.ts', ...args],
      { cwd: REPO, env: { ...process.env, TEMPORAL_ADDRESS: env.address } },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode ?? (err as { code?: number } | null)?.code ?? null, stdout, stderr }),
    );
  });
}

test(
  "a corrupt final snapshot: the cutover's rollback refuses it; " +
    'a manual rollback by Phase 1 label restores the intact archive',
  async () => {
    const f = await fixtures.create({ rows: 500 });
    const planFile = path.join(f.workdir, 'plan.yaml');
    fs.writeFileSync(planFile, stringify(f.plan));
    await startService(f.loaded(), 'v1');
    const dataFile = (dir: string) =>
      fs
        .readdirSync(dir)
        .filter((n) => fs.statSync(path.join(dir, n)).isFile())
        .sort()[0];
    const watched = dataFile(path.join(f.workdir, 'data'));

    const handle = await startCutover(env.client, {}, { plan: planFile, autoApprove: true, holdBefore: ['phase5'] });
    // V2 is serving by Phase 5: a rollback from here must restore V1's data
    await waitForStatus(handle, (v) => v.heldBefore === 'phase5');
    const backups = path.join(f.workdir, 'backups');
    const archives = fs
      .readdirSync(backups)
      .filter((n) => n.endsWith('.tar.gz'))
      .map((n) => path.join(backups, n));
    const final = archives.find((a) => readManifest(a)!.label.endsWith('.final'))!;
    const phase1 = archives.find((a) => a !== final)!;
    expect(archives).toHaveLength(2);
    const bytes = fs.readFileSync(final);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(final, bytes);
    // what V1 had written, lost if the Phase 1 archive were not restored
    fs.writeFileSync(path.join(f.workdir, 'data', watched), 'clobbered by a bad V2');

    await handle.signal('rollback', { reason: 'testing a corrupt snapshot', by: 'alice' });
    const view = (await handle.result().catch(viewOrThrow)) as CutoverView;
    expect(view.status).toBe('FAILED');
    expect(view.rollback).toMatchObject({ status: 'FAILED' });
    expect(view.rollback!.message).toMatch(
      new RegExp(
        `rollback refused, nothing touched: backup ` + `${final.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt`,
      ),
    );
    expect(fs.readFileSync(path.join(f.workdir, 'data', watched), 'utf8')).toBe('clobbered by a bad V2');
    expect(await isUp(f.urls.v1)).toBe(false);
    expect(await isUp(f.urls.v2)).toBe(true);
    const sent = fs
      .readFileSync(path.join(f.workdir, 'notifications.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(sent).toContainEqual(
      expect.objectContaining({
        severity: 'critical',
        text: expect.stringContaining(
          `Rollback of ${view.cutoverId} REFUSED, needs a human: rollback ` +
            `refused, nothing touched: backup ${final}`,
        ),
      }),
    );

    const label = readManifest(phase1)!.label;
    const run = await cli([
      'rollback',
      '--plan',
      planFile,
      '--backup',
      label,
      '--reason',
      'final snapshot corrupt',
      '--wait',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ROLLED_BACK in \d+ ms: V1 serving \(final snapshot corrupt\)/);
    const inPhase1 = execFileSync('tar', ['-xzOf', phase1, `data/${watched}`]);
    expect(fs.readFileSync(path.join(f.workdir, 'data', watched))).toEqual(inPhase1);
    expect(await isUp(f.urls.v1)).toBe(true);
    expect(await isUp(f.urls.v2)).toBe(false);
    const rollbackId = /started (\S+)/.exec(run.stdout)![1];
    const manual = await env.client.workflow
      .getHandle(rollbackId)
      .query<{ steps: Array<{ name: string; message?: string }> }>('status');
    expect(manual.steps.find((s) => s.name === 'verify backup')!.message).toBe(
      `${phase1} (label ${label}, chosen by the operator)`,
    );
  },
  300_000,
);
