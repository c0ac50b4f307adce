/**
 * `cutover plan check` for the `checks:` list, beyond what the schema says: one provider per
 * check, the servers and databases it needs named, rules that parse, no secret written inline,
 * and compare/trend settings that can work at the moments the check runs. Each problem gives
 * its path and the fix.
 */
import type { Plan } from '../../domain/plan-schema';
import type { PlanProblem } from '../../domain/plan-problem';
import { PROVIDER_NAMES, providerOf, type CheckSpec } from '../../domain/check-schema';
import { celProblem } from './cel';

/** Header names that carry credentials: their values belong in headersFromEnv. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$|token|secret|password|apikey/i;
/** A literal that looks like a credential wherever it is written. */
const SECRET_VALUE = /^(bearer|basic)\s+\S+|^(ghp|gho|xox[bp]|sk|AKIA)[-_A-Za-z0-9]{8,}|:\/\/[^/\s:@]+:[^/\s@]+@/i;

export type ExtraLint = (check: CheckSpec, at: string) => PlanProblem[];

export function checkListProblems(plan: Plan, extra: ExtraLint[] = []): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const checks = plan.checks ?? [];
  const seen = new Set<string>();
  checks.forEach((check, i) => {
    const at = `checks.${i}`;
    const add = (field: string, message: string) => problems.push({ path: field ? `${at}.${field}` : at, message });
    if (seen.has(check.name))
      add(
        'name',
        `"${check.name}" is used twice: give each check its own name ` +
          `(several may feed one report key through "report")`,
      );
    seen.add(check.name);
    const given = PROVIDER_NAMES.filter((p) => check[p] !== undefined);
    if (given.length === 0)
      add('', `no provider: add one of ${PROVIDER_NAMES.join(', ')} (e.g. ` + `http: { path: /health })`);
    if (given.length > 1)
      add('', `${given.join(' and ')} in one check: a check has one provider; ` + `split it into two checks`);
    const provider = providerOf(check);
    if (provider === 'prometheus' && !plan.prometheus)
      add('prometheus', "a prometheus check needs the plan's top-level `prometheus: { " + 'address: http://… }`');
    if (check.sql && !plan.databases[check.sql.database]) {
      const known = Object.keys(plan.databases);
      add(
        'sql.database',
        `"${check.sql.database}" is not in databases: add databases.` +
          `${check.sql.database}: { urlEnv: WAREHOUSE_URL }${known.length ? ` or use one of ${known.join(', ')}` : ''}`,
      );
    }
    for (const [header, value] of Object.entries(check.http?.headers ?? {})) {
      if (SECRET_HEADER.test(header) || SECRET_VALUE.test(value))
        add(
          `http.headers.${header}`,
          `a secret written in the plan: move it to headersFromEnv: { ` +
            `${header}: SOME_ENV_VAR } and export SOME_ENV_VAR on the worker`,
        );
    }
    for (const [field, rule] of [
      ['fail', check.fail],
      ['warn', check.warn],
      ['pass', check.pass],
      ['trend.value', check.trend?.value],
    ] as const) {
      const problem = rule ? celProblem(rule) : undefined;
      if (problem) add(field, `not a valid CEL expression: ${problem}`);
    }
    if (check.compare?.against === 'v1' && !check.at.includes('shadow') && !plan.validation.baselineFile) {
      add(
        'compare',
        'compares with V1, but V1 is only read live in the shadow run: ' +
          'add "shadow" to `at` (its values are then kept for later ' +
          'moments) or set validation.baselineFile',
      );
    }
    if (check.trend && !check.at.some((m) => m === 'checkpoint' || m === 'sentinel'))
      add('trend', 'a trend needs readings over time: add "checkpoint" or ' + '"sentinel" to `at`');
    if (check.inconclusive !== 'retry' && check.retries !== 3)
      add('retries', 'retries only apply with inconclusive: retry');
    if (check.inconclusive !== 'retry' && check.afterRetries !== 'fail')
      add('afterRetries', 'afterRetries only applies with inconclusive: retry');
    if (check.command && check.at.includes('sentinel'))
      add(
        'at',
        'a command check at every sentinel probe would run a process ' + 'every minute: run it at checkpoints instead',
      );
    for (const lint of extra) problems.push(...lint(check, at));
  });
  for (const [name, value] of Object.entries(plan.prometheus ?? {})) {
    if (name === 'address' && typeof value === 'string' && SECRET_VALUE.test(value))
      problems.push({
        path: 'prometheus.address',
        message: 'credentials in the URL: use usernameEnv/passwordEnv or bearerTokenEnv',
      });
  }
  return problems;
}
