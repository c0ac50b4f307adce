/**
 * `cutover validate PLAN [--target v2] [--out FILE] [--baseline FILE]`: the plan's checks (the
 * default list without `checks:`) without Temporal (the runbook's "run validation every 30-60
 * minutes"). Writes the JSON report the runbook's jq commands read; exit 0 PASS, 10 WARN, 11 FAIL
 * so cron and scripts can branch.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { ServiceRole } from '../../domain/service-schema';
import type { CheckStatus } from '../../domain/validation-report';
import { runProductionValidation, writeReport } from '../../activities/checks/production-validation';
import { planBaseline, readCompleteBaselineFile } from '../../activities/checks/baseline-store';
import { mergeBaselines, type BaselineValues } from '../../domain/baseline';
import { checkPlanFile } from './plan';
import { CliError, EXIT } from '../exit-codes';

const MARK: Record<CheckStatus, string> = { PASS: '✓', WARN: '!', FAIL: '✗' };
const EXIT_FOR: Record<CheckStatus, number> = { PASS: EXIT.OK, WARN: EXIT.VALIDATION_WARN, FAIL: EXIT.VALIDATION_FAIL };

interface ValidateOptions {
  target: string;
  out: string;
  baseline?: string;
}

export function registerValidate(program: Command) {
  program
    .command('validate')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .option('--target <service>', 'which service to validate: v1 or v2', 'v2')
    .option('--out <file>', 'where to write the JSON report', 'production_validation_report.json')
    .option(
      '--baseline <file>',
      "V1's values to compare with: a file `cutover baseline capture` wrote, or a saved answer of a compare check " +
        "(e.g. a saved /kpis); default: the plan's validation.baselineFile, then its baseline store",
    )
    .description(
      "run the plan's checks now (the default list without checks:) " +
        'and write a JSON report; exit 0 PASS, 10 WARN, 11 FAIL',
    )
    .action(async (file: string, opts: ValidateOptions) => {
      if (opts.target !== 'v1' && opts.target !== 'v2')
        throw new CliError(`--target must be v1 or v2, not "${opts.target}"`, EXIT.BAD_INPUT);
      const role: ServiceRole = opts.target;
      const loaded = await checkPlanFile(file);
      let baseline: BaselineValues | undefined;
      if (opts.baseline) {
        try {
          const read = await readCompleteBaselineFile(loaded, path.resolve(opts.baseline));
          console.log(`baseline ${opts.baseline}: ${read.described}`);
          // checks the file does not cover still compare with what the plan has recorded
          baseline = mergeBaselines(read.values, await planBaseline(loaded));
        } catch (err) {
          throw new CliError((err as Error).message, EXIT.BAD_INPUT);
        }
      }
      // The `schedule` moment: the runbook's "validate every few hours".
      const report = await runProductionValidation(loaded, role, { baseline, moment: 'schedule' });
      await writeReport(report, opts.out);
      for (const name of Object.keys(report.checks)) {
        const check = report.checks[name];
        console.log(`${MARK[check.status]} ${name.padEnd(16)} ${check.status.padEnd(4)}  ${check.message}`);
      }
      console.log(
        `${report.status}: ${report.target.name} (${role}) in ` +
          `${report.durationMs} ms; report ${path.resolve(opts.out)}`,
      );
      // exitCode, not exit(): let stdout flush before the process ends.
      process.exitCode = EXIT_FOR[report.status];
    });
}
