/**
 * `cutover check PLAN NAME [--target v1|v2|both]`: one check, run by hand, printing the raw
 * value, the rule that decided and the verdict — how a user writes and tunes a check. With
 * --target both and compare mode, V1 is read live beside V2 (as the shadow run does) and is
 * itself the reference. Without NAME: the checks the plan runs (the default list without `checks:`).
 */
import type { Command } from 'commander';
import type { ServiceRole } from '../../domain/service-schema';
import { runChecksAt } from '../../activities/checks/run-checks';
import { planBaseline } from '../../activities/checks/baseline-store';
import { providerOf, type CheckSpec } from '../../domain/check-schema';
import { checkPlanFile } from './plan';
import { CliError, EXIT } from '../exit-codes';
import type { CheckOutcome } from '../../domain/check-outcome';
import type { CheckStatus } from '../../domain/validation-report';

const EXIT_FOR: Record<CheckStatus, number> = { PASS: EXIT.OK, WARN: EXIT.VALIDATION_WARN, FAIL: EXIT.VALIDATION_FAIL };

function print(o: CheckOutcome, json: boolean) {
  if (json) return console.log(JSON.stringify(o, null, 2));
  console.log(`── ${o.name} on ${o.target} (${o.provider}, feeds "${o.report}") in ${o.durationMs} ms`);
  const result = o.metrics.result as Record<string, unknown> | undefined;
  if (result) console.log(`   raw:     ${JSON.stringify(result.value)?.slice(0, 600) ?? 'undefined'}`);
  if (result) {
    const fields = Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'value'));
    if (Object.keys(fields).length) console.log(`   fields:  ${JSON.stringify(fields).slice(0, 600)}`);
  }
  const comparison = o.metrics.comparison as { against?: string; compared?: number; maxRelative?: number } | undefined;
  if (comparison)
    console.log(
      `   compare: against ${comparison.against}, ` +
        `${comparison.compared} fields, max deviation ${((comparison.maxRelative ?? 0) * 100).toFixed(4)}%`,
    );
  console.log(`   rule:    ${o.rule ?? (o.inconclusive ? '(none decided: inconclusive)' : '(no rule matched)')}`);
  if (o.trendValue !== undefined) console.log(`   trend:   ${o.trendValue}`);
  console.log(`   verdict: ${o.status}${o.inconclusive ? ' (inconclusive)' : ''} — ${o.message}`);
}

function describeCheck(c: CheckSpec): string {
  const provider = providerOf(c);
  const spec = c.http
    ? `${c.http.method} ${c.http.path}`
    : c.prometheus
      ? c.prometheus.query
      : c.sql
        ? `sql on ${c.sql.database}`
        : c.command
          ? c.command.argv.join(' ')
          : '';
  const rules = [
    c.compare ? `compare against ${c.compare.against}` : '',
    c.fail ? `fail: ${c.fail}` : '',
    c.warn ? `warn: ${c.warn}` : '',
    c.pass ? `pass: ${c.pass}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return (
    `  ${c.name.padEnd(18)} → ${(c.report ?? c.name).padEnd(16)} ` +
    `${provider} ${spec} at ${c.at.join(',')}${rules ? `\n  ${''.padEnd(18)}   ${rules}` : ''}`
  );
}

export function registerCheck(program: Command) {
  program
    .command('check')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .argument('[name]', "the check's name (without it: list the plan's checks)")
    .option('--target <service>', 'v1, v2 or both', 'v2')
    .option('--json', 'print each outcome as JSON')
    .description('run one check now: raw value, rule and verdict; exit 0 PASS, 10 WARN, 11 FAIL')
    .action(async (file: string, name: string | undefined, opts: { target: string; json?: boolean }) => {
      if (!['v1', 'v2', 'both'].includes(opts.target))
        throw new CliError(`--target must be v1, v2 or both, not "${opts.target}"`, EXIT.BAD_INPUT);
      const loaded = await checkPlanFile(file);
      const names = loaded.plan.checks.map((c) => c.name);
      if (name === undefined) {
        console.log(
          `${file} runs ${names.length} checks (name → report key, ` +
            `provider, moments); the full list: cutover plan show ${file}`,
        );
        for (const c of loaded.plan.checks) console.log(describeCheck(c));
        return;
      }
      if (!names.includes(name))
        throw new CliError(`no check "${name}" in ${file}: the plan's checks are: ${names.join(', ')}`, EXIT.BAD_INPUT);
      const targets: ServiceRole[] = opts.target === 'both' ? ['v1', 'v2'] : [opts.target as ServiceRole];
      const baseline = await planBaseline(loaded).catch(() => undefined);
      let worst: CheckStatus = 'PASS';
      for (const role of targets) {
        // both: V1 is read live, as the shadow run reads it; it is the reference, compared with itself
        const [outcome] = await runChecksAt(loaded, role, 'phase5', {
          only: name,
          v1Live: opts.target === 'both',
          baseline,
        });
        print(outcome, !!opts.json);
        if (EXIT_FOR[outcome.status] > EXIT_FOR[worst]) worst = outcome.status;
      }
      process.exitCode = EXIT_FOR[worst];
    });
}
