/** `cutover plan check FILE` and `cutover plan schema`: validate without starting anything. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PlanError, planJsonSchema } from '../../domain/plan-check';
import { readPlanFile } from '../../activities/plan-loader';
import { CliError, EXIT } from '../exit-codes';

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
    .command('schema')
    .option('--out <file>', 'write to a file instead of stdout')
    .description('print the JSON Schema of a plan, for editors (yaml-language-server)')
    .action(async (opts: { out?: string }) => {
      const text = JSON.stringify(planJsonSchema(), null, 2) + '\n';
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}
