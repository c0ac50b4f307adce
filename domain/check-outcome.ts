/**
 * What one data check gave, and how a list of them becomes the seed's report: each report key's
 * status is its worst check's, its metrics the check's own (or one entry per check when several
 * feed the key). Pure: the workflows, the CLI and the report writer share it.
 */
import type { CheckMoment, ProviderName } from './check-schema';
import type { ServiceRole } from './service-schema';
import { overallStatus, type CheckResult, type CheckStatus } from './validation-report';

export interface CheckOutcome {
  name: string;
  /** the report key it feeds */
  report: string;
  provider: ProviderName;
  target: ServiceRole;
  moment: CheckMoment;
  status: CheckStatus;
  /** set when the provider could not tell (no data, unreachable, a rule that cannot be evaluated) */
  inconclusive?: string;
  /** the rule that decided, e.g. "fail: result.value > 0.05" */
  rule?: string;
  message: string;
  /** result (value and fields, truncated), comparison, figures */
  metrics: Record<string, unknown>;
  /** how the decision matrix weighs a FAIL */
  onFail: 'retry' | 'rollback';
  /** the number a trend follows, when the check has one */
  trendValue?: number;
  durationMs: number;
}

const RANK: Record<CheckStatus, number> = { PASS: 0, WARN: 1, FAIL: 2 };
export const worst = (statuses: CheckStatus[]): CheckStatus =>
  statuses.reduce<CheckStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), 'PASS');

/** The report's `checks` object, keys in the order checks were listed. */
export function reportChecks(outcomes: CheckOutcome[]): Record<string, CheckResult> {
  const keys = [...new Set(outcomes.map((o) => o.report))];
  return Object.fromEntries(
    keys.map((key) => {
      const feeding = outcomes.filter((o) => o.report === key);
      if (feeding.length === 1) {
        const [only] = feeding;
        return [key, { status: only.status, metrics: only.metrics, message: only.message }];
      }
      const status = worst(feeding.map((o) => o.status));
      const shown = feeding.filter((o) => o.status === status);
      return [
        key,
        {
          status,
          metrics: Object.fromEntries(feeding.map((o) => [o.name, { status: o.status, ...o.metrics }])),
          message: (status === 'PASS' ? feeding : shown).map((o) => `${o.name}: ${o.message}`).join('; '),
        },
      ];
    }),
  );
}

export function overallOf(outcomes: CheckOutcome[]): CheckStatus {
  return overallStatus(reportChecks(outcomes));
}

/** One line per outcome for the CLI and logs: "error_rate v2 FAIL (fail: result.value > 0.05) — 7.1% over 5m". */
export function describeOutcome(o: CheckOutcome): string {
  return (
    `${o.name} ${o.target} ${o.status}` +
    `${o.inconclusive ? ' (inconclusive)' : ''}` +
    `${o.rule ? ` [${o.rule}]` : ''} — ${o.message}`
  );
}
