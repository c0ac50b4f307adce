/** The plan's traffic section and strategy: what a plan check refuses, at which path, with which fix. Pure. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkPlan } from '../../domain/plan-check';

const valid = () => parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
const haproxy = {
  driver: 'haproxy',
  socket: '/run/haproxy/admin.sock',
  backend: 'loans',
  servers: { v1: 'v1', v2: 'v2' },
  publicUrl: 'http://127.0.0.1:8100',
};
const problemsOf = (mutate: (p: any) => void) => {
  const plan = valid();
  mutate(plan);
  const result = checkPlan(plan);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

test('traffic: {pointerFile} alone is still the file driver, strategy cutover', () => {
  const result = checkPlan({ ...valid(), traffic: { pointerFile: 'x.json' } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.plan.traffic).toMatchObject({
    driver: 'file',
    pointerFile: 'x.json',
    verify: { path: '/health', consecutive: 5 },
  });
  expect(result.plan.strategy).toBe('cutover');
});

test.each<[string, (p: any) => void, RegExp]>([
  [
    'blueGreen without a traffic section',
    (p) => (p.strategy = 'blueGreen'),
    /^traffic: strategy blueGreen moves traffic .* add a traffic section/,
  ],
  [
    'blueGreen with V1 and V2 on one address',
    (p) =>
      Object.assign(p, {
        strategy: 'blueGreen',
        traffic: haproxy,
        services: { ...p.services, v2: { ...p.services.v2, baseUrl: p.services.v1.baseUrl } },
      }),
    /^services\.v2\.baseUrl: strategy blueGreen runs V1 and V2 side by side, but both use .*give V2 its own port/,
  ],
  [
    'a canary on the file driver',
    (p) => Object.assign(p, { strategy: 'canary', traffic: { pointerFile: 'x.json' } }),
    /^traffic\.driver: a canary splits traffic by weight: use the nginx or haproxy driver/,
  ],
  [
    'canary weights that fall',
    (p) =>
      Object.assign(p, {
        strategy: 'canary',
        traffic: haproxy,
        canary: { steps: [{ weight: 50 }, { weight: 10 }, { weight: 100 }] },
      }),
    /^canary\.steps\.1\.weight: canary weights must rise \(50 then 10\)/,
  ],
  [
    'a canary that never reaches 100%',
    (p) => Object.assign(p, { strategy: 'canary', traffic: haproxy, canary: { steps: [{ weight: 10 }] } }),
    /^canary\.steps\.0\.weight: the last canary step must send 100% to V2/,
  ],
  [
    'a canary approval by a role nobody holds',
    (p) =>
      Object.assign(p, {
        strategy: 'canary',
        traffic: haproxy,
        canary: { steps: [{ weight: 100, approval: ['sre'] }] },
      }),
    /^canary\.steps\.0\.approval: role "sre" approves this step but nobody may approve for it/,
  ],
  [
    'a router without its public address',
    (p) => (p.traffic = { ...haproxy, publicUrl: undefined }),
    /^traffic\.publicUrl: the haproxy driver switches a router: give its public address/,
  ],
  [
    'an unknown driver',
    (p) => (p.traffic = { driver: 'envoy' }),
    /^traffic\.driver: traffic\.driver must be one of: file \(with pointerFile\), nginx, haproxy, exec/,
  ],
  ['an unknown strategy', (p) => (p.strategy = 'rolling'), /^strategy: use cutover, blueGreen or canary/],
])('%s is refused at its path with a fix', (_label, mutate, message) => {
  expect(problemsOf(mutate)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
});
