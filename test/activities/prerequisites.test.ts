/**
 * Phase 0's facts, each part on its own (a host agent checks the part its machine holds): what is
 * checked, and a failure naming each unmet fact with where it looked. Real files, a real refused port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPrerequisites } from '../../activities/prerequisites';
import { loadInlinePlan } from '../../activities/plan-loader';
import { freePort } from '../helpers/demo-fixture';

let workdir: string;
beforeAll(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-prereq-'));
  fs.mkdirSync(path.join(workdir, 'data'));
  fs.writeFileSync(path.join(workdir, 'v2.tar'), 'x');
});
afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

const loadedWith = async (backupPaths: string[], artifact: string) => {
  const service = (role: string, port: number) => ({
    name: `svc-${role}`,
    driver: 'process',
    command: ['true'],
    baseUrl: `http://127.0.0.1:${port}`,
  });
  return loadInlinePlan(
    {
      name: 'prereq',
      services: { v1: service('v1', await freePort()), v2: { ...service('v2', await freePort()), artifact } },
      backup: { paths: backupPaths, dir: 'backups' },
      tests: { command: ['true'] },
      approvals: { approvers: { engineering: ['alice'], operations: ['bob'], dataQuality: ['carol'] } },
    },
    workdir,
  );
};

test("each part checks only its own facts: the backup host its paths and disk, V2's host the artifact", async () => {
  const loaded = await loadedWith(['data'], 'v2.tar');
  expect((await checkPrerequisites(loaded, ['backup'])).map((c) => c.name)).toEqual([
    'backup path data',
    'free disk for backups',
  ]);
  expect((await checkPrerequisites(loaded, ['artifact'])).map((c) => c.name)).toEqual(['V2 artifact present']);
});

test("an unmet fact fails naming it and where it looked; V1 not answering is the orchestrator's part", async () => {
  const loaded = await loadedWith(['data', 'missing'], 'gone.tar');
  await expect(checkPrerequisites(loaded, ['backup', 'artifact'])).rejects.toMatchObject({
    type: 'PrerequisiteFailed',
    message:
      `prerequisites not met: backup path missing (` +
      `${path.join(workdir, 'missing')}); V2 artifact present (${path.join(workdir, 'gone.tar')})`,
  });
  await expect(checkPrerequisites(loaded, ['v1Health'])).rejects.toMatchObject({
    message: expect.stringMatching(/^prerequisites not met: V1 healthy \(http:\/\/127\.0\.0\.1:\d+: /),
  });
  // no parts named: all of them, as a plan without hosts always checked
  await expect(checkPrerequisites(loaded)).rejects.toMatchObject({
    message: expect.stringMatching(/backup path missing .*V2 artifact present .*V1 healthy/),
  });
});
