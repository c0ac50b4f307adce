import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO, type DemoFixture } from '../helpers/demo-fixture';
import { CHECK_NAMES } from '../../domain/validation-report';
import { cleanupDemos, runningDemo, setFaults } from './validation-helpers';

afterEach(cleanupDemos);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `cutover validate` as an operator runs it: a real process, its exit code and output. */
function cutover(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(REPO, 'node_modules/.bin/tsx'),
      ['client/main.ts', ...args],
      { cwd: REPO, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: child.exitCode ?? (err as { code?: number } | null)?.code ?? null, stdout, stderr }),
    );
  });
}

/** The fixture's inline plan as a YAML file, and a baseline saved from V2 while it is clean. */
async function planAndBaseline(f: DemoFixture): Promise<{ planFile: string; baselineFile: string }> {
  const planFile = path.join(f.workdir, 'plan.yaml');
  fs.writeFileSync(planFile, stringify(f.plan));
  const baselineFile = path.join(f.workdir, 'baseline.json');
  fs.writeFileSync(baselineFile, await (await fetch(`${f.urls.v2}/kpis`)).text());
  return { planFile, baselineFile };
}

test('cutover validate exits 0 on a clean service, prints one line per check and writes the report', async () => {
  const f = await runningDemo();
  const { planFile, baselineFile } = await planAndBaseline(f);
  const out = path.join(f.workdir, 'out/report.json');
  const run = await cutover(['validate', planFile, '--out', out, '--baseline', baselineFile]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines[0]).toBe(`baseline ${baselineFile}: a raw provider answer, used for kpi_calculations (11 fields)`);
  expect(lines.slice(1, 6).map((l) => l.split(/\s+/).slice(1, 3))).toEqual(CHECK_NAMES.map((n) => [n, 'PASS']));
  expect(lines[6]).toMatch(/^PASS: loans-v2 \(v2\) in \d+ ms; report .*report\.json$/);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  expect(report.status).toBe('PASS');
  expect(Object.keys(report.checks)).toEqual([...CHECK_NAMES]);
});

test('cutover validate exits 11 under a fault and names the failing check', async () => {
  const f = await runningDemo();
  const { planFile, baselineFile } = await planAndBaseline(f);
  await setFaults(f.urls.v2, { auditGap: 3 });
  const out = path.join(f.workdir, 'report.json');
  const run = await cutover(['validate', planFile, '--target', 'v2', '--out', out, '--baseline', baselineFile]);
  expect(run.code).toBe(11);
  expect(run.stdout).toMatch(/✗ audit_trail\s+FAIL\s+fail: result\.value\.lastSeq == 0 \|\| /);
  expect(run.stdout).toMatch(/^FAIL: loans-v2/m);
  expect(JSON.parse(fs.readFileSync(out, 'utf8')).checks.audit_trail.status).toBe('FAIL');
});

test('cutover validate exits 10 when the only problem is a missing baseline', async () => {
  const f = await runningDemo();
  const { planFile } = await planAndBaseline(f);
  const run = await cutover(['validate', planFile, '--out', path.join(f.workdir, 'report.json')]);
  expect(run.code).toBe(10);
  expect(run.stdout).toMatch(/! kpi_calculations\s+WARN\s+inconclusive: no baseline/);
});

test('cutover validate refuses a bad --target with exit 2 before checking anything', async () => {
  const run = await cutover(['validate', 'no-such-plan.yaml', '--target', 'v3']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--target must be v1 or v2, not "v3"/);
});

/**
 * A report with what was measured masked (every number becomes 0, times included); what is left is the contract and the
 * verdicts.
 */
function masked(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8').replace(/"date": "[^"]*"/g, '"date": "#"');
  return JSON.parse(text.replace(/\d+(\.\d+)?(e[-+]?\d+)?/g, '0'));
}

test(
  'a plan without checks: and the same plan with the default list ' +
    'written out (plan show --checks) give the same report',
  async () => {
    const f = await runningDemo();
    const { planFile, baselineFile } = await planAndBaseline(f);
    const shown = await cutover(['plan', 'show', planFile, '--checks']);
    expect(shown.code).toBe(0);
    const listed = parse(shown.stdout) as { checks: unknown[] };
    expect(listed.checks.map((c) => (c as { name: string }).name)).toEqual([
      'kpi_calculations',
      'data_integrity',
      'performance',
      'unknown_route',
      'bad_query',
      'wrong_method',
      'bad_json',
      'error_rate',
      'audit_trail',
    ]);
    expect(shown.stdout).toMatch(
      /^# the checks plan "[\w-]+" runs; the sentinel's synthetic requests go to monitoring.sentinelPath \/kpis/,
    );
    const writtenOut = path.join(f.workdir, 'plan-written-out.yaml');
    fs.writeFileSync(
      writtenOut,
      stringify({ ...f.plan, checks: listed.checks, monitoring: { ...f.plan.monitoring, sentinelPath: '/kpis' } }),
    );
    const effective = async (file: string) => parse((await cutover(['plan', 'show', file])).stdout);
    expect(await effective(writtenOut)).toEqual(await effective(planFile));

    const reports = [path.join(f.workdir, 'without.json'), path.join(f.workdir, 'written-out.json')];
    const runs = [
      await cutover(['validate', planFile, '--out', reports[0], '--baseline', baselineFile]),
      await cutover(['validate', writtenOut, '--out', reports[1], '--baseline', baselineFile]),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(masked(reports[1])).toEqual(masked(reports[0]));
    const report = JSON.parse(fs.readFileSync(reports[0], 'utf8'));
    expect(Object.keys(report.checks)).toEqual([...CHECK_NAMES]);
    for (const key of CHECK_NAMES) expect(Object.keys(report.checks[key])).toEqual(['status', 'metrics', 'message']);
  },
);

test(
  'plan check and validate --baseline refuse a saved answer lacking a key the compare ' +
    "check's extract picks, naming the check, the key and the fix; the whole answer is accepted",
  async () => {
    const extract = '{kpis: kpis, breakdowns: breakdowns}';
    const f = await runningDemo({
      mutate: (plan) => {
        plan.checks = [
          {
            name: 'kpi_parity',
            report: 'kpi_calculations',
            at: ['shadow', 'schedule'],
            http: { path: '/kpis', extract },
            compare: { against: 'v1', relative: 0.001 },
          },
        ];
      },
    });
    const answer = (await (await fetch(`${f.urls.v2}/kpis`)).json()) as { kpis: unknown; breakdowns: unknown };
    expect(answer.breakdowns).toBeDefined();
    fs.writeFileSync(path.join(f.workdir, 'whole.json'), JSON.stringify(answer));
    const totalsOnly = path.join(f.workdir, 'totals-only.json');
    fs.writeFileSync(totalsOnly, JSON.stringify({ kpis: answer.kpis }));
    const planWith = (baselineFile: string | undefined) => {
      const file = path.join(f.workdir, `plan-${baselineFile ?? 'none'}.yaml`);
      fs.writeFileSync(file, stringify({ ...f.plan, validation: baselineFile ? { baselineFile } : {} }));
      return file;
    };
    const lacking =
      `kpi_parity needs breakdowns (its extract ${extract} on GET /kpis), the file has no numbers ` +
      'there: save the whole answer, or record one with `cutover baseline capture`';

    const whole = await cutover(['plan', 'check', planWith('whole.json')]);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain('✓ validation.baselineFile whole.json: a raw provider answer, used for kpi_parity');

    const checked = await cutover(['plan', 'check', planWith('totals-only.json')]);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain(`✗ validation.baselineFile: baseline ${totalsOnly} lacks fields`);
    expect(checked.stderr).toContain(lacking);

    const out = path.join(f.workdir, 'report.json');
    const validated = await cutover(['validate', planWith(undefined), '--out', out, '--baseline', totalsOnly]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain(`baseline ${totalsOnly} lacks fields`);
    expect(validated.stderr).toContain(lacking);
    expect(fs.existsSync(out)).toBe(false);
  },
);
