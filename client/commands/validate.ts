/**
 * `cutover validate PLAN [--target v2] [--out FILE] [--baseline FILE]`: the five production checks
 * without Temporal (the runbook's "run validation every 30-60 minutes"). Writes the JSON report
 * the runbook's jq commands read; exit 0 PASS, 10 WARN, 11 FAIL so cron and scripts can branch.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { ServiceRole } from '../../domain/plan-schema';
import type { CheckStatus } from '../../domain/validation-report';
import { runProductionValidation, writeReport } from '../../activities/checks/production-validation';
import { readBaselineFile } from '../../activities/checks/kpi-calculations';
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
    .option('--baseline <file>', 'KPI baseline JSON (a saved /kpis answer); default: the plan\'s validation.baselineFile')
    .description('run the 5 production checks now and write a JSON report; exit 0 PASS, 10 WARN, 11 FAIL')
    .action(async (file: string, opts: ValidateOptions) => {
      if (opts.target !== 'v1' && opts.target !== 'v2') throw new CliError(`--target must be v1 or v2, not "${opts.target}"`, EXIT.BAD_INPUT);
      const role: ServiceRole = opts.target;
      const loaded = await checkPlanFile(file);
      let baseline: Record<string, number> | undefined;
      if (opts.baseline) {
        try {
          baseline = await readBaselineFile(path.resolve(opts.baseline));
        } catch (err) {
          throw new CliError((err as Error).message, EXIT.BAD_INPUT);
        }
      }
      // A plan's own checks run at the `schedule` moment: the runbook's "validate every few hours".
      const report = await runProductionValidation(loaded, role, { baseline, moment: loaded.plan.checks ? 'schedule' : undefined });
      await writeReport(report, opts.out);
      for (const name of Object.keys(report.checks)) {
        const check = report.checks[name];
        console.log(`${MARK[check.status]} ${name.padEnd(16)} ${check.status.padEnd(4)}  ${check.message}`);
      }
      console.log(`${report.status}: ${report.target.name} (${role}) in ${report.durationMs} ms; report ${path.resolve(opts.out)}`);
      // exitCode, not exit(): let stdout flush before the process ends.
      process.exitCode = EXIT_FOR[report.status];
    });
}
