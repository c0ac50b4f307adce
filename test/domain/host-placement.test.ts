/** Where each host-local fact and command check goes (domain/host-placement.ts), and the plan field it reads. Pure. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkPlan } from '../../domain/plan-check';
import { hostedCheckGroups, prerequisiteGroups } from '../../domain/host-placement';
import type { Plan } from '../../domain/plan-schema';

const raw = () => parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
const planOf = (mutate: (p: any) => void): Plan => {
  const plan = raw();
  mutate(plan);
  const result = checkPlan(plan);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
};
const command = (name: string, extra: Record<string, unknown> = {}, at = ['phase5']) => ({
  name,
  at,
  command: { argv: ['true'], ...extra },
});

test('a plan without hosts: every prerequisite on the orchestrator, in one call, and no hosted checks', () => {
  const plan = planOf((p) => (p.checks = [command('script'), { name: 'up', http: { path: '/health' } }]));
  expect(prerequisiteGroups(plan)).toEqual([
    { host: undefined, parts: expect.arrayContaining(['v1Health', 'backup']) },
  ]);
  expect(hostedCheckGroups(plan, 'v2', 'phase5')).toEqual([]);
});

test(
  'prerequisites go where their facts are: backup paths and disk ' +
    "to the backup host, the artifact to V2's, V1 health stays",
  () => {
    const plan = planOf((p) => {
      p.backup.host = 'db-1';
      p.services.v2 = { ...p.services.v2, host: 'app-2', artifact: 'dist/v2.tar' };
    });
    expect(prerequisiteGroups(plan)).toEqual([
      { host: undefined, parts: ['v1Health'] },
      { host: 'db-1', parts: ['backup'] },
      { host: 'app-2', parts: ['artifact'] },
    ]);
    // one machine holding both: one call there
    const same = planOf((p) => {
      p.backup.host = 'app-2';
      p.services.v2 = { ...p.services.v2, host: 'app-2', artifact: 'dist/v2.tar' };
    });
    expect(prerequisiteGroups(same)).toEqual([
      { host: undefined, parts: ['v1Health'] },
      { host: 'app-2', parts: ['backup', 'artifact'] },
    ]);
  },
);

test(
  'a command check runs on its own host, else on the checked ' + "service's host; other providers on the orchestrator",
  () => {
    const plan = planOf((p) => {
      p.services.v2 = { ...p.services.v2, host: 'app-2' };
      p.checks = [
        command('team_script'),
        { name: 'up', http: { path: '/health' } },
        command('ops_script', { host: 'ops-1' }),
        command('shadow_only', {}, ['shadow']),
        command('also_v2', {}, ['phase5', 'checkpoint']),
      ];
    });
    expect(hostedCheckGroups(plan, 'v2', 'phase5')).toEqual([
      { host: 'app-2', names: ['team_script', 'also_v2'] },
      { host: 'ops-1', names: ['ops_script'] },
    ]);
    expect(hostedCheckGroups(plan, 'v2', 'shadow')).toEqual([{ host: 'app-2', names: ['shadow_only'] }]);
    // V1 has no host: against V1, only the one with its own host leaves the orchestrator
    expect(hostedCheckGroups(plan, 'v1', 'phase5')).toEqual([{ host: 'ops-1', names: ['ops_script'] }]);
  },
);

test('a bad command.host is refused at its path with a fix', () => {
  const plan = raw();
  plan.checks = [command('script', { host: 'app 2' })];
  const result = checkPlan(plan);
  expect(result.ok).toBe(false);
  const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
  expect(problems).toEqual([
    expect.stringMatching(
      /^checks\.0\.command\.host: name the machine as the plan's services do \(letters, digits, "\.", "_" or "-"\), e\.g\. "pipeline-1"/,
    ),
  ]);
});
