/**
 * The command provider with real child processes, and the demo's seed-style validation script
 * (demo/validation/production_validation.py) run by it against one real demo service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { commandProviderSchema, type CommandProviderSpec } from '../../domain/check-schema';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { commandProvider } from '../../activities/checks/providers/command';
import { CheckConfigError, type ProviderAnswer } from '../../activities/checks/providers/provider';
import { childrenDir } from '../../activities/child-registry';
import { startService } from '../../activities/service-control';
import { createDemoFixture, REPO, type DemoFixture } from '../helpers/demo-fixture';
import { waitFor } from '../helpers/wait-for';
import { checkSchema } from '../../domain/check-schema';
import { runChecksAt } from '../../activities/checks/run-checks';
import { productionValidation, validateProduction } from '../../activities/post-cutover-check';
import { MockActivityEnvironment } from '@temporalio/testing';
import { execFileSync } from 'node:child_process';
import { providerContext, startApiProxy, type ApiProxy } from './support';

let fixture: DemoFixture;
let loaded: LoadedPlan;
let proxy: ApiProxy;
const SCRIPT = path.join(REPO, 'demo/validation/production_validation.py');

beforeAll(async () => {
  fixture = await createDemoFixture({ rows: 2_000 });
  process.env.CUTOVER_RUN_DIR = path.join(fixture.workdir, 'run-dir');
  loaded = fixture.loaded();
  fs.mkdirSync(path.join(fixture.workdir, 'sub'));
  await startService(loaded, 'v2');
  proxy = await startApiProxy(fixture.urls.v2);
});
afterAll(async () => {
  delete process.env.CUTOVER_RUN_DIR;
  await proxy?.close();
  await fixture?.cleanup();
});

const run = (input: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env) =>
  commandProvider(commandProviderSchema.parse(input) as CommandProviderSpec, providerContext(loaded, 'v2', env));
const okAnswer = (a: ProviderAnswer) => {
  if (!a.ok) throw new Error(`expected an answer, got inconclusive: ${a.inconclusive}`);
  return a;
};
const node = (code: string, ...args: string[]) => [process.execPath, '-e', code, ...args];
/** Running, or a zombie nobody reaped yet, counts as left behind; only "gone" does not. */
/** Gone or a zombie: killed, whether or not its new parent has reaped it yet. */
const gone = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
};

test('argv is passed as is, never to a shell: a ";" or "$(…)" in an argument is a literal character', async () => {
  const answer = okAnswer(
    await run({
      argv: node('console.log(JSON.stringify(process.argv.slice(1)))', 'a; touch pwned', '$(touch pwned2)', '`id`'),
      stdoutJson: true,
    }),
  );
  expect(answer.value).toEqual(['a; touch pwned', '$(touch pwned2)', '`id`']);
  expect(answer.fields).toMatchObject({ exitCode: 0, exitOk: true, durationMs: expect.any(Number) });
  expect(fs.readdirSync(fixture.workdir).filter((f) => f.startsWith('pwned'))).toEqual([]);
});

test('a timeout is inconclusive and kills the whole process group: no child is left', async () => {
  const pidFile = path.join(fixture.workdir, 'sleeper.pid');
  const answer = await run({ argv: ['bash', '-c', `sleep 300 & echo $! > ${pidFile}; wait`], timeout: '1s' });
  expect(answer).toEqual({
    ok: false,
    inconclusive: expect.stringMatching(/^bash -c .* timed out after 1s \(killed with its process group\)/),
  });
  const sleeper = Number(fs.readFileSync(pidFile, 'utf8'));
  // SIGKILL went to the group before the answer; on a busy machine the process may take a moment to die
  await waitFor(`the group's sleep (pid ${sleeper}) to die`, () => gone(sleeper), { timeoutMs: 15_000 });
  // The registry that lets a new worker reap a dead worker's children holds nothing of it.
  expect(fs.existsSync(childrenDir()) ? fs.readdirSync(childrenDir()) : []).toEqual([]);
});

test('a program that does not exist is a config error naming argv[0]; so is a cwd that is not a folder', async () => {
  const missing = await run({ argv: ['no-such-validator-xyz', '--check'] }).catch((e: Error) => e);
  expect(missing).toBeInstanceOf(CheckConfigError);
  expect((missing as Error).message).toMatch(/^command\.argv\[0\] "no-such-validator-xyz" cannot be run \(ENOENT\)/);
  await expect(run({ argv: ['true'], cwd: 'nowhere' })).rejects.toThrow(/command\.cwd .*nowhere is not a folder/);
});

test(
  'reportFile is read after exit, relative to cwd (itself ' +
    "relative to the workdir); an earlier run's file never passes",
  async () => {
    const write = node(
      "require('fs').mkdirSync('out',{recursive:true}); " +
        "require('fs').writeFileSync('out/r.json', JSON.stringify({rows: " +
        '2000, cwd: process.cwd()}))',
    );
    const answer = okAnswer(await run({ argv: write, cwd: 'sub', reportFile: 'out/r.json' }));
    expect(answer.value).toEqual({ rows: 2000, cwd: fs.realpathSync(path.join(fixture.workdir, 'sub')) });
    await expect(run({ argv: ['true'], cwd: 'sub', reportFile: 'out/r.json' })).rejects.toThrow(
      /out\/r\.json was not rewritten by this run .* although true exited 0/,
    );
    // A failing command that wrote nothing usable is an answer (exitOk false), not a plan mistake.
    const failed = okAnswer(
      await run({ argv: node("console.error('db down'); process.exit(3)"), reportFile: 'never.json' }),
    );
    expect(failed).toMatchObject({
      value: { exitCode: 3 },
      fields: {
        exitCode: 3,
        exitOk: false,
        stderrTail: 'db down\n',
        reportProblem: expect.stringMatching(/never\.json was not written/),
      },
    });
    expect(okAnswer(await run({ argv: node('process.exit(3)'), okExitCodes: [0, 3] })).fields).toMatchObject({
      exitOk: true,
    });
  },
);

test("a failed script's printed reason is in its check's message, bounded; its whole tail stays in the fields", async () => {
  const script = node(
    "console.log('checking totals'); console.log('totalAmount 233550.0 != sum of regions 259500.0'); " +
      "console.error('x'.repeat(5000)); process.exit(1)",
  );
  const spec = checkSchema.parse({ name: 'totals_script', at: ['phase5'], command: { argv: script } });
  const [outcome] = await runChecksAt({ ...loaded, plan: { ...loaded.plan, checks: [spec] } }, 'v2', 'phase5');
  expect(outcome).toMatchObject({ status: 'FAIL', rule: 'okExitCodes' });
  expect(outcome.message).toMatch(/^exited 1, not an accepted exit code \(.* exited 1 in \d+ ms; stderr: "…x+"; /);
  expect(outcome.message).toContain('stdout: "checking totals / totalAmount 233550.0 != sum of regions 259500.0"');
  expect(outcome.message.length).toBeLessThan(1_000);
  expect(outcome.metrics).toMatchObject({ result: { exitCode: 1, stderrTail: expect.stringMatching(/^…x{1999}\n$/) } });
  // a script that passes says nothing more than that
  const quiet = okAnswer(await run({ argv: node("console.log('fine')") }));
  expect(quiet.summary).toMatch(/ exited 0 in \d+ ms$/);
});

test("Phase 5's report file (JSON and Markdown in reports.dir) carries a failed script's reason, bounded", async () => {
  const spec = checkSchema.parse({
    name: 'totals_script',
    at: ['phase5'],
    command: { argv: node("console.log('totalAmount 233550.0 != sum of regions 259500.0'); process.exit(1)") },
  });
  const plan = { ...loaded, plan: { ...loaded.plan, checks: [spec] } };
  const env = new MockActivityEnvironment({
    workflowExecution: { workflowId: 'cutover-evidence-1', runId: 'run-1' },
  } as never);
  const failure = await env.run(validateProduction, plan, 'v2' as const).then(
    () => undefined,
    (e: Error) => e,
  );
  const file = path.join(fixture.workdir, loaded.plan.reports.dir, 'cutover-evidence-1-phase5.json');
  expect(failure?.message).toContain('totalAmount 233550.0 != sum of regions 259500.0');
  expect(failure?.message).toContain(`report ${file}`);
  expect(execFileSync('jq', ['-r', '.status', file], { encoding: 'utf8' })).toBe('FAIL\n');
  expect(fs.readFileSync(file, 'utf8')).toContain('totalAmount 233550.0 != sum of regions 259500.0');
  expect(fs.statSync(file).size).toBeLessThan(64_000);
  const markdown = fs.readFileSync(file.replace(/\.json$/, '.md'), 'utf8');
  expect(markdown).toMatch(/^# Validation of .* \(v2\): FAIL/);
  expect(markdown).toMatch(/\| totals_script \| \*\*FAIL\*\* \| exit code 1 \| .*totalAmount 233550\.0 != sum/);
  // outside a workflow (the CLI, scripts) nothing is written behind the caller's back
  fs.rmSync(file);
  await productionValidation(plan, 'v2', undefined, 'checkpoint');
  expect(fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('cutover-evidence-1'))).toEqual([
    'cutover-evidence-1-phase5.md',
  ]);
});

test('stdoutJson parses stdout; stdout that is not JSON after a clean exit is a config error', async () => {
  expect(
    okAnswer(await run({ argv: node('console.log(JSON.stringify({errorRate: 0.01}))'), stdoutJson: true })).value,
  ).toEqual({ errorRate: 0.01 });
  await expect(run({ argv: node("console.log('all good')"), stdoutJson: true })).rejects.toThrow(
    /stdout is not JSON .*"all good\\n"/,
  );
});

test('passEnv passes the names the plan lists; every other secret-looking variable is scrubbed', async () => {
  process.env.CUTOVER_TEST_API_TOKEN = 'token-passed-on-purpose';
  process.env.CUTOVER_TEST_DB_PASSWORD = 'password-never-inherited';
  try {
    const print = node(
      'console.log(JSON.stringify({t: ' +
        'process.env.CUTOVER_TEST_API_TOKEN ?? null, p: ' +
        'process.env.CUTOVER_TEST_DB_PASSWORD ?? null}))',
    );
    expect(okAnswer(await run({ argv: print, stdoutJson: true, passEnv: ['CUTOVER_TEST_API_TOKEN'] })).value).toEqual({
      t: 'token-passed-on-purpose',
      p: null,
    });
    expect(okAnswer(await run({ argv: print, stdoutJson: true })).value).toEqual({ t: null, p: null });
    await expect(run({ argv: ['true'], passEnv: ['CUTOVER_TEST_UNSET_VAR'] })).rejects.toThrow(
      /command\.passEnv: environment variable CUTOVER_TEST_UNSET_VAR is not set/,
    );
  } finally {
    delete process.env.CUTOVER_TEST_API_TOKEN;
    delete process.env.CUTOVER_TEST_DB_PASSWORD;
  }
});

test(
  'format seed-report: a malformed report is a config error ' +
    'naming what is wrong; .checks may be a list with names',
  async () => {
    const writes = (report: unknown) => node(`console.log(${JSON.stringify(JSON.stringify(report))})`);
    const bad = await run({
      argv: writes({ status: 'OK', checks: { a: { status: 'PASS' } } }),
      stdoutJson: true,
      format: 'seed-report',
    }).catch((e: Error) => e);
    expect(bad).toBeInstanceOf(CheckConfigError);
    expect((bad as Error).message).toMatch(/^stdout is not a seed-style validation report \(status: .*\)/);
    await expect(
      run({ argv: writes({ status: 'PASS', checks: {} }), stdoutJson: true, format: 'seed-report' }),
    ).rejects.toThrow(/checks: has no checks/);
    const list = okAnswer(
      await run({
        argv: writes({ status: 'WARN', checks: [{ name: 'latency', status: 'WARN', message: 'slow' }] }),
        stdoutJson: true,
        format: 'seed-report',
      }),
    );
    expect(list.fields).toMatchObject({
      reportStatus: 'WARN',
      checks: [{ name: 'latency', status: 'WARN', message: 'slow' }],
    });
  },
);

describe("the demo's seed-style script, run by the provider against the real service", () => {
  const seedCheck = (baseUrl: string, extra: string[] = []) =>
    run({
      argv: ['python3', SCRIPT, '--base-url', baseUrl, '--samples', '5', ...extra],
      reportFile: 'production_validation_report.json',
      format: 'seed-report',
      timeout: '2m',
    });

  test('healthy, behind a gateway base path: PASS with the five seed keys, each PASS', async () => {
    const answer = okAnswer(await seedCheck(`${proxy.url}/api`));
    expect(proxy.seen.length).toBeGreaterThanOrEqual(15); // 19 today: 4 /kpis, /integrity, 5 samples, 4 malformed, /metrics, 4 audit
    expect(proxy.seen.every((r) => r.url.startsWith('/api/'))).toBe(true);
    expect(answer.fields).toMatchObject({ exitCode: 0, exitOk: true, reportStatus: 'PASS' });
    const checks = answer.fields!.checks as Array<{ name: string; status: string }>;
    expect(checks.map((c) => [c.name, c.status])).toEqual(
      ['kpi_calculations', 'data_integrity', 'performance', 'error_handling', 'audit_trail'].map((n) => [n, 'PASS']),
    );
    expect(answer.value).toMatchObject({
      status: 'PASS',
      checks: { audit_trail: { metrics: { event_count: expect.any(Number), gaps: [] } } },
    });
    fs.writeFileSync(
      path.join(fixture.workdir, 'baseline.json'),
      await (await fetch(`${fixture.urls.v2}/kpis`)).text(),
    );
  });

  test(
    'a KPI drift against the saved baseline and an audit gap each ' + 'FAIL their check; the script exits 1',
    async () => {
      const res = await fetch(`${fixture.urls.v2}/admin/faults`, {
        method: 'POST',
        body: JSON.stringify({ auditGap: 5, kpiDrift: { kpi: 'par30', relative: 0.05 } }),
      });
      expect(res.status).toBe(200);
      const answer = okAnswer(
        await seedCheck(fixture.urls.v2, ['--baseline-file', path.join(fixture.workdir, 'baseline.json')]),
      );
      expect(answer.fields).toMatchObject({ exitCode: 1, exitOk: false, reportStatus: 'FAIL' });
      const byName = Object.fromEntries(
        (answer.fields!.checks as Array<{ name: string; status: string; message: string }>).map((c) => [c.name, c]),
      );
      expect(byName.audit_trail).toMatchObject({
        status: 'FAIL',
        message: expect.stringMatching(/1 gap\(s\) in sequence numbers \(\d+ -> \d+\)/),
      });
      expect(byName.kpi_calculations).toMatchObject({
        status: 'FAIL',
        message: expect.stringMatching(/^totals\.par30 off by 5\.000%/),
      });
      expect(byName.data_integrity.status).toBe('PASS');
    },
  );

  test(
    'through the check runner with the seed rules: the faulted ' +
      'service FAILs on the report, not only on the exit code',
    async () => {
      const seed = checkSchema.parse({
        name: 'seed_validation',
        at: ['phase5'],
        command: {
          argv: ['python3', SCRIPT, '--base-url', fixture.urls.v2, '--samples', '3'],
          reportFile: 'production_validation_report.json',
          format: 'seed-report',
          okExitCodes: [0, 1],
        },
        fail: 'result.value.status == "FAIL"',
        warn: 'result.value.status == "WARN"',
      });
      const [outcome] = await runChecksAt({ ...loaded, plan: { ...loaded.plan, checks: [seed] } }, 'v2', 'phase5');
      expect(outcome).toMatchObject({
        name: 'seed_validation',
        status: 'FAIL',
        rule: 'fail: result.value.status == "FAIL"',
      });
      expect(outcome.metrics).toMatchObject({ result: { exitCode: 1, exitOk: true, reportStatus: 'FAIL' } });
    },
  );
});
