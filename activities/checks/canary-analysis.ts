/**
 * A canary step's analysis: V2 against V1 *live*, while V1 takes the rest of the traffic under
 * the same split — not against the shadow run's baseline, recorded before any user reached V2.
 * Plans with `checks:`: compare-mode checks read V1 now (Prometheus queries templated by
 * `{{ version }}` compare V2's error rate/latency with V1's in the same window); every other
 * check also runs on V1, for the record only (V2's verdict decides). Never throws for a FAIL:
 * the workflow decides; the JSON report is written beside the plan's other reports.
 */
import type { LoadedPlan } from '../../domain/loaded-plan';
import type { CheckOutcome } from '../../domain/check-outcome';
import type { FieldDeviation, ValueComparison } from '../../domain/value-compare';
import type { BaselineValues } from '../../domain/baseline';
import type { CheckStatus, ValidationReport } from '../../domain/validation-report';
import { writeValidationReport } from '../reports/validation-report-file';
import { reportFromOutcomes, runChecksAt } from './run-checks';

export interface CanaryStepRef {
  cutoverId: string;
  /** 1-based */
  step: number;
  weight: number;
}

export interface CanaryAnalysis {
  status: CheckStatus;
  /** one line per check: what V2 and V1 measured (and the verdict) */
  measured: string[];
  /** the failing checks, `name: why` */
  failing: string[];
  /** one line for the status and the UI details */
  summary: string;
  reportPath: string;
}

/** 9870, 10363.5, 0.04554: enough digits to tell two values apart, never exponent notation for a KPI. */
const num = (n: number) => String(Number(n.toPrecision(6)));

/** "worst field east.revenue: V1 9870, V2 10363" from a compare outcome: the largest deviation, wherever listed. */
function worstField(c: ValueComparison | undefined): string {
  const d = c?.deviations.reduce<FieldDeviation | undefined>(
    (w, x) => (!w || x.relative > w.relative ? x : w),
    undefined,
  );
  return d ? `; worst ${d.path}: V1 ${num(d.reference)}, V2 ${num(d.candidate)}` : '';
}

function describeOutcomes(v2: CheckOutcome[], v1: Map<string, CheckOutcome>): string[] {
  return v2.map((o) => {
    const comparison = o.metrics.comparison as (ValueComparison & { against?: string }) | undefined;
    if (comparison)
      return (
        `${o.name} ${o.status}: V2 against ` +
        `${comparison.against === 'v1 live' ? 'V1 live' : 'the recorded baseline'}: ` +
        `${o.message}${worstField(comparison)}`
      );
    const mine = v1.get(o.name);
    return (
      `${o.name} ${o.status}: V2 ${o.message} · V1 ` +
      (mine ? mine.message : 'not measured (the check does not follow its target)') +
      ``
    );
  });
}

/**
 * A command with a fixed argv (no {{ baseUrl }} etc.) checks the same thing whatever the target: V1 has no reading of
 * its own.
 */
function followsTarget(loaded: LoadedPlan, name: string): boolean {
  const command = loaded.plan.checks.find((c) => c.name === name)?.command;
  return !command || command.argv.some((a) => a.includes('{{'));
}

async function analyse(
  loaded: LoadedPlan,
  shadowBaseline?: BaselineValues,
  hosted?: CheckOutcome[],
): Promise<{ report: ValidationReport; measured: string[]; v1: unknown }> {
  const started = performance.now();
  const timestamp = new Date().toISOString();
  // v1Live: compare checks read V1 now; the shadow baseline is only for `against: baseline`.
  // command checks that live on a host ran there (the workflow's runHostChecks): taken as they came
  const v2 = await runChecksAt(loaded, 'v2', 'phase5', { v1Live: true, baseline: shadowBaseline, hosted });
  const v1 = new Map<string, CheckOutcome>();
  for (const o of v2) {
    if (o.metrics.comparison || !followsTarget(loaded, o.name) || hosted?.some((h) => h.name === o.name)) continue;
    const [mine] = await runChecksAt(loaded, 'v1', 'phase5', { only: o.name });
    if (mine) v1.set(o.name, mine);
  }
  const report = reportFromOutcomes(loaded, 'v2', v2, timestamp, Math.round(performance.now() - started));
  const v1Record = [...v1.values()].map(({ name, status, message, metrics }) => ({
    name,
    status,
    message,
    result: metrics.result,
  }));
  return { report, measured: describeOutcomes(v2, v1), v1: v1Record };
}

export async function canaryAnalysis(
  loaded: LoadedPlan,
  ref: CanaryStepRef,
  shadowBaseline?: BaselineValues,
  hosted?: CheckOutcome[],
): Promise<CanaryAnalysis> {
  const { report, measured, v1 } = await analyse(loaded, shadowBaseline, hosted);
  const failing = Object.entries(report.checks)
    .filter(([, c]) => c.status === 'FAIL')
    .map(([k, c]) => `${k}: ${c.message}`);
  const reportPath = await writeValidationReport(
    loaded,
    { ...report, canary: { ...ref, measured, v1 } } as ValidationReport,
    `${ref.cutoverId}.canary-step-${ref.step}`,
  );
  const counts = (['PASS', 'WARN', 'FAIL'] as const)
    .map((s) => [s, measured.filter((m) => new RegExp(`^\\S+ ${s}:`).test(m)).length] as const)
    .filter(([, n]) => n);
  const summary = `${report.status} against V1 live (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})`;
  return { status: report.status, measured, failing, summary, reportPath };
}
