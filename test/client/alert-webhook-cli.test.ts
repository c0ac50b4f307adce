/** `cutover alert-webhook` refuses to start unguarded or on an address it cannot use, and says the fix. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCutover } from '../helpers/cutover-cli';

test('without a token it does not start, and says how to set one', () => {
  const r = runCutover(['alert-webhook'], { TEMPORAL_ADDRESS: '127.0.0.1:1', CUTOVER_ALERT_TOKEN: '' });
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/no token: set CUTOVER_ALERT_TOKEN .* or --token-file FILE/);
});

test('an empty token file and a listen address without a port are refused by name', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'alert-token-')), 'token');
  fs.writeFileSync(file, '\n');
  try {
    const empty = runCutover(['alert-webhook', '--token-file', file]);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain(`--token-file ${file}: the file is empty`);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  const listen = runCutover(['alert-webhook', '--listen', 'localhost'], { CUTOVER_ALERT_TOKEN: 't' });
  expect(listen.code).toBe(2);
  expect(listen.err).toContain('--listen localhost: expected HOST:PORT');
});
