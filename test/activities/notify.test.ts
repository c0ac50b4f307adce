/** Notifications against a real local HTTP server standing in for Slack's incoming webhook. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { notify } from '../../activities/notify';
import { loadInlinePlan } from '../../activities/plan-loader';
import { freePort } from '../helpers/demo-fixture';

const plan = (extra: Record<string, unknown>) =>
  loadInlinePlan(
    {
      name: 'n',
      services: {
        v1: { name: 'a', driver: 'systemd', unit: 'a.service', baseUrl: 'http://127.0.0.1:1' },
        v2: { name: 'b', driver: 'systemd', unit: 'b.service', baseUrl: 'http://127.0.0.1:2' },
      },
      backup: { paths: ['data'] },
      tests: { command: ['true'] },
      approvals: { approvers: { engineering: ['alice'], operations: ['bob'], dataQuality: ['carol'] } },
      notifications: extra,
    },
    fs.mkdtempSync(path.join(os.tmpdir(), 'notify-')),
  );

let server: http.Server;
let received: Array<{ path: string; body: unknown }>;
let url: string;
beforeAll(async () => {
  received = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url!, body: JSON.parse(body) });
      res.statusCode = req.url!.includes('broken') ? 500 : 200;
      res.end(res.statusCode === 200 ? 'ok' : 'invalid_token');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret-token`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => (received.length = 0));

test('a message goes to the Slack-compatible webhook named by the env var, as {text}', async () => {
  process.env.TEST_CUTOVER_WEBHOOK = url;
  const result = await notify(plan({ slackWebhookEnv: 'TEST_CUTOVER_WEBHOOK' }), {
    key: 'k1',
    text: 'Cutover starting: loans',
  });
  expect(result.delivered).toEqual(['slack']);
  expect(received).toEqual([{ path: '/services/T000/B000/secret-token', body: { text: 'Cutover starting: loans' } }]);
});

test('the file sink gets one JSON line per message', async () => {
  const loaded = plan({ file: 'out/notifications.log' });
  await notify(loaded, { key: 'a', text: 'one', severity: 'warning' });
  await notify(loaded, { key: 'b', text: 'two' });
  const lines = fs
    .readFileSync(path.join(loaded.workdir, 'out/notifications.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => [l.key, l.text, l.severity])).toEqual([
    ['a', 'one', 'warning'],
    ['b', 'two', undefined],
  ]);
});

test('an unset webhook env var skips Slack without failing, and the plan never holds the URL', async () => {
  delete process.env.TEST_CUTOVER_WEBHOOK;
  const loaded = plan({ slackWebhookEnv: 'TEST_CUTOVER_WEBHOOK' });
  expect((await notify(loaded, { key: 'k', text: 'x' })).delivered).toEqual([]);
  expect(JSON.stringify(loaded)).not.toContain('secret-token');
});

test('a webhook that answers an error fails the activity (to be retried) without saying the URL', async () => {
  process.env.TEST_CUTOVER_WEBHOOK = url.replace('secret-token', 'broken-secret-token');
  const err = await notify(plan({ slackWebhookEnv: 'TEST_CUTOVER_WEBHOOK' }), { key: 'k', text: 'x' }).catch(
    (e: Error) => e,
  );
  expect((err as Error).message).toMatch(/Slack webhook \(TEST_CUTOVER_WEBHOOK\) answered 500/);
  expect((err as Error).message).not.toContain('secret-token');
});

test('a retried notification writes its line to the file once', async () => {
  const loaded = plan({ file: 'n.log' });
  await notify(loaded, { key: 'same', text: 'Hour 4 checkpoint' });
  await notify(loaded, { key: 'same', text: 'Hour 4 checkpoint' });
  expect(fs.readFileSync(path.join(loaded.workdir, 'n.log'), 'utf8').trim().split('\n')).toHaveLength(1);
});

test('a webhook that does not answer at all fails with the cause, still without the URL', async () => {
  process.env.TEST_CUTOVER_WEBHOOK = `http://127.0.0.1:${await freePort()}/services/T000/B000/secret-token`;
  const err = await notify(plan({ slackWebhookEnv: 'TEST_CUTOVER_WEBHOOK' }), { key: 'k', text: 'x' }).catch(
    (e: Error) => e,
  );
  expect((err as Error).message).toBe('Slack webhook (TEST_CUTOVER_WEBHOOK) did not answer: ECONNREFUSED');
});
