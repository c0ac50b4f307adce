/**
 * CUTOVER_RECORD_HISTORIES=1 turns the runs a test names into the replay suite's histories
 * (test/replay/histories): the run's history as `temporal workflow show` writes it, and its id
 * in workflow-ids.json (the workflows derive ids from their own, so replay needs the recorded one).
 * Without the variable it does nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './demo-fixture';

const DIR = path.join(REPO, 'test/replay/histories');

export function recordHistory(address: string, workflowId: string, name: string): void {
  if (!process.env.CUTOVER_RECORD_HISTORIES) return;
  const temporal = path.join(REPO, '.tools/bin/temporal');
  const args = ['workflow', 'show', '--workflow-id', workflowId, '--address', address, '--output', 'json'];
  fs.writeFileSync(path.join(DIR, name), execFileSync(temporal, args));
  const idsFile = path.join(DIR, 'workflow-ids.json');
  const ids = JSON.parse(fs.readFileSync(idsFile, 'utf8')) as Record<string, string>;
  ids[name] = workflowId;
  fs.writeFileSync(idsFile, `${JSON.stringify(ids, null, 2)}\n`);
}
