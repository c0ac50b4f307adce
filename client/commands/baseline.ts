/**
 * `cutover baseline capture PLAN [--target v1] [--out FILE]`: records V1's answers to the plan's
 * compare checks now, in the format the shadow run records, into the plan's baseline store (or
 * FILE): what scheduled validations and `cutover validate` compare with when no cutover ran.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { ServiceRole } from '../../domain/service-schema';
import { describeCoverage } from '../../domain/baseline';
import { captureBaseline, compareChecks, recordBaseline } from '../../activities/checks/baseline-store';
import { checkPlanFile } from './plan';
import { CliError, EXIT } from '../exit-codes';

export function registerBaseline(program: Command) {
  const baseline = program
    .command('baseline')
    .description("V1's recorded answers, which compare checks measure V2 against");
  baseline
    .command('capture')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .option('--target <service>', 'the service whose answers are recorded: v1 or v2', 'v1')
    .option('--out <file>', "write here instead of the plan's baseline store")
    .description("record the compare checks' answers of a live service as the plan's baseline")
    .action(async (file: string, opts: { target: string; out?: string }) => {
      if (opts.target !== 'v1' && opts.target !== 'v2')
        throw new CliError(`--target must be v1 or v2, not "${opts.target}"`, EXIT.BAD_INPUT);
      const role: ServiceRole = opts.target;
      const loaded = await checkPlanFile(file);
      const checks = compareChecks(loaded).map((c) => c.name);
      if (!checks.length)
        throw new CliError(
          `plan ${file} has no compare checks: there is nothing a ` + `baseline would be compared with`,
          EXIT.BAD_INPUT,
        );
      const { values, problems } = await captureBaseline(loaded, role);
      // all or nothing: a baseline missing a check would make that check WARN "no baseline" later, silently
      if (problems.length) throw new CliError(`nothing recorded: ${problems.join('; ')}`, EXIT.ERROR);
      const source = `cutover baseline capture (${role})`;
      const written = await recordBaseline(loaded, values, source, role, opts.out && path.resolve(opts.out));
      const service = `${loaded.plan.services[role].name} (${role})`;
      console.log(`✓ recorded ${service}: ${describeCoverage(values)} → ${written}`);
    });
}
