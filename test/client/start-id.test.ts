/** `cutover start --id` and `cutover plan check` as a user runs them: real subprocesses, nothing started. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCutover } from '../helpers/cutover-cli';

const REPO = path.resolve(__dirname, '../..');
const cutover = (...args: string[]) => runCutover(args);
const DEMO_PLAN = path.join(REPO, 'demo/cutover-plan.yaml');

test.each(['../x', 'a/b', '..'])('start --id %s is refused before anything else, naming the rule', (id) => {
  const r = cutover('start', DEMO_PLAN, '--id', id);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`--id "${id}" is refused: it contains`);
  expect(r.err).toContain('Use letters, digits, ".", "_" and "-"');
});

test('plan check reports data paths that climb out of the workdir', () => {
  const plan = fs.readFileSync(DEMO_PLAN, 'utf8').replace('dir: .data/demo/reports', 'dir: ../../reports');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'escape.yaml');
  fs.writeFileSync(file, plan);
  const r = cutover('plan', 'check', file);
  expect(r.code).toBe(2);
  expect(r.err).toContain('✗ reports.dir: "../../reports" climbs out of the plan\'s workdir with ".."');
});

test('rollback --backup needs --plan', () => {
  const r = cutover('rollback', 'some-cutover', '--backup', 'loans.x', '--reason', 'r');
  expect(r.code).toBe(2);
  expect(r.err).toContain('--backup LABEL needs --plan FILE');
});
