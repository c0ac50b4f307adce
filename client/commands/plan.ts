/** `cutover plan check FILE` and `cutover plan schema`: validate without starting anything. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
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
      throw new CliError(`plan ${file} has ${err.problems.length} problem(s); nothing was started:\n${lines.join('\n')}`, EXIT.BAD_INPUT);
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
      console.log(`✓ plan "${p.name}" is valid: ${p.services.v1.name} (${p.services.v1.driver}) → ${p.services.v2.name} (${p.services.v2.driver}), gate ${p.approvals.gate.roles.join(' + ')}, monitoring ${p.monitoring.duration}`);
    });
  plan
    .command('init')
    .argument('<file>', 'where to write the plan (refuses to overwrite)')
    .option('--name <name>', 'the service name', 'my-service')
    .option('--v1-url <url>', 'V1 base URL', 'http://127.0.0.1:8080')
    .option('--v2-url <url>', 'V2 base URL', 'http://127.0.0.1:8081')
    .option('--prometheus <url>', 'Prometheus address', 'http://127.0.0.1:9090')
    .description('write a commented starting plan for your own service (health, Prometheus error rate and latency, your validation script)')
    .action(async (file: string, opts: { name: string; v1Url: string; v2Url: string; prometheus: string }) => {
      if (!/^[a-z][a-z0-9-]*$/.test(opts.name)) throw new CliError(`--name must be lower-case letters, digits and "-", not "${opts.name}"`, EXIT.BAD_INPUT);
      try {
        await writeFile(file, planTemplate(opts), { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${file} exists: choose another file (nothing was overwritten)`, EXIT.BAD_INPUT);
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
