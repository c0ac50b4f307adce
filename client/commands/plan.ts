/** `cutover plan check|show|init|schema`: validate, show what a plan runs, start one, without starting anything. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { LoadedPlan } from '../../domain/loaded-plan';
import { coveredChecks } from '../../domain/baseline';
import { compareChecks, readCompleteBaselineFile } from '../../activities/checks/baseline-store';
import { insideWorkdir } from '../../activities/plan-paths';
import { PlanError, planJsonSchema } from '../../domain/plan-check';
import { readPlanFile } from '../../activities/plan-loader';
import { CliError, EXIT } from '../exit-codes';
import { planTemplate } from '../plan-template';

export async function checkPlanFile(file: string) {
  try {
    return await readPlanFile(file);
  } catch (err) {
    if (err instanceof PlanError) {
      const lines = err.problems.map((p) => `  ✗ ${p.path}: ${p.message}`);
      throw new CliError(
        `plan ${file} has ${err.problems.length} problem(s); nothing ` + `was started:\n${lines.join('\n')}`,
        EXIT.BAD_INPUT,
      );
    }
    throw err;
  }
}

export function registerPlan(program: Command) {
  const plan = program.command('plan').description('check a cutover plan or print its JSON Schema');
  plan
    .command('check')
    .argument('<file>', 'plan file (YAML or JSON)')
    .description('validate a plan: prints every problem with its path and a fix; exit 2 if any')
    .action(async (file: string) => {
      const loaded = await checkPlanFile(file);
      const { plan: p } = loaded;
      const notes = await baselineFileNotes(loaded, file);
      console.log(
        `✓ plan "${p.name}" is valid: ${p.services.v1.name} (` +
          `${p.services.v1.driver}) → ${p.services.v2.name} (` +
          `${p.services.v2.driver}), gate ` +
          `${p.approvals.gate.roles.join(' + ')}, monitoring ${p.monitoring.duration}`,
      );
      for (const note of notes) console.log(note);
    });
  plan
    .command('show')
    .argument('<file>', 'plan file (YAML or JSON)')
    .option('--checks', 'only the checks it runs, as a `checks:` list to paste into a plan')
    .description('print the plan as it runs: every default filled in, the default check list written out')
    .action(async (file: string, opts: { checks?: boolean }) => {
      const { plan: p } = await checkPlanFile(file);
      if (!opts.checks) return void process.stdout.write(stringify(p, { lineWidth: 0 }));
      const sentinel = p.monitoring.sentinelPath
        ? `; the sentinel's synthetic requests go to ` + `monitoring.sentinelPath ${p.monitoring.sentinelPath}`
        : '';
      process.stdout.write(
        `# the checks plan "${p.name}" runs${sentinel}\n${stringify({ checks: p.checks }, { lineWidth: 0 })}`,
      );
    });
  plan
    .command('init')
    .argument('<file>', 'where to write the plan (refuses to overwrite)')
    .option('--name <name>', 'the service name', 'my-service')
    .option('--v1-url <url>', 'V1 base URL', 'http://127.0.0.1:8080')
    .option('--v2-url <url>', 'V2 base URL', 'http://127.0.0.1:8081')
    .option('--prometheus <url>', 'Prometheus address', 'http://127.0.0.1:9090')
    .description(
      'write a commented starting plan for your own service (health, ' +
        'Prometheus error rate and latency, your validation script)',
    )
    .action(async (file: string, opts: { name: string; v1Url: string; v2Url: string; prometheus: string }) => {
      if (!/^[a-z][a-z0-9-]*$/.test(opts.name))
        throw new CliError(`--name must be lower-case letters, digits and "-", not "${opts.name}"`, EXIT.BAD_INPUT);
      try {
        await writeFile(file, planTemplate(opts), { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST')
          throw new CliError(`${file} exists: choose another file (nothing was overwritten)`, EXIT.BAD_INPUT);
        throw err;
      }
      console.log(`✓ wrote ${file}: edit the services, approvers and queries, then run: cutover plan check ${file}`);
    });
  plan
    .command('schema')
    .option('--out <file>', 'write to a file instead of stdout')
    .description('print the JSON Schema of a plan, for editors (yaml-language-server)')
    .action(async (opts: { out?: string }) => {
      const text = JSON.stringify(planJsonSchema(), null, 2) + '\n';
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}

/**
 * validation.baselineFile against the plan's compare checks: a file none of them can use is a
 * problem (exit 2); the compare checks it has no values for are said, as they compare with the
 * shadow run's values or the baseline store's instead.
 */
async function baselineFileNotes(loaded: LoadedPlan, file: string): Promise<string[]> {
  const given = loaded.plan.validation.baselineFile;
  if (!given) return [];
  const problem = (message: string) =>
    new CliError(
      `plan ${file} has 1 problem(s); nothing was started:\n  ✗ ` + `validation.baselineFile: ${message}`,
      EXIT.BAD_INPUT,
    );
  let covered: Record<string, number>;
  let described: string;
  try {
    const read = await readCompleteBaselineFile(loaded, insideWorkdir(loaded, given, 'validation.baselineFile'));
    covered = coveredChecks(read.values);
    described = read.described;
  } catch (err) {
    throw problem((err as Error).message);
  }
  const compared = compareChecks(loaded).map((c) => c.name);
  const unknown = Object.keys(covered).filter((c) => !compared.includes(c));
  if (unknown.length)
    throw problem(
      `has values for ${unknown.join(', ')}, which are not compare ` +
        `checks of this plan (they are: ${compared.join(', ') || 'none'})`,
    );
  const uncovered = compared.filter((c) => !covered[c]);
  return [
    `✓ validation.baselineFile ${given}: ${described}`,
    ...uncovered.map(
      (c) =>
        `! validation.baselineFile has nothing for ${c}: it compares ` +
        `with the shadow run's values, or the baseline store's`,
    ),
  ];
}
