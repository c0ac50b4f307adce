/**
 * The monitoring's reading of data-check outcomes: a FAIL counts only once a check has failed
 * `failureLimit` times in a row; a check with a trend adds its point and may WARN (or FAIL) on a
 * drift or a climb; a FAIL of an `onFail: rollback` check asks for an immediate rollback. The
 * decision matrix sees what each outcome asks for, never check names.
 */
import type { LoadedPlan } from '../domain/loaded-plan';
import type { MonitoringState } from '../domain/monitoring-model';
import type { OutcomeBrief } from '../domain/validation-report';
import { parseDuration } from '../domain/duration';
import { addPoint, effectiveWarmupMs, trendProblems } from '../domain/trend';

export interface Weighed {
  rollback: string[];
  fail: string[];
  warn: string[];
}

/**
 * `standing`: a checkpoint also says what the trends of checks that did not run at it (a sentinel's
 * memory check) stand at, so its row agrees with what the sentinel warned of.
 */
export function weighOutcomes(
  loaded: LoadedPlan,
  state: MonitoringState,
  outcomes: OutcomeBrief[] | undefined,
  offsetMs: number,
  standing = false,
): Weighed {
  const weighed: Weighed = { rollback: [], fail: [], warn: [] };
  const specs = new Map((loaded.plan.checks ?? []).map((c) => [c.name, c]));
  const streaks = (state.checkStreaks ??= {});
  const trends = (state.trends ??= {});
  const firstCheckpointMs = parseDuration(loaded.plan.monitoring.cadence[0].every);
  const durationMs = parseDuration(loaded.plan.monitoring.duration);
  for (const o of outcomes ?? []) {
    const spec = specs.get(o.name);
    const line = `${o.name}: ${o.message}`;
    if (o.status === 'FAIL') {
      streaks[o.name] = (streaks[o.name] ?? 0) + 1;
      const limit = spec?.failureLimit ?? 1;
      if (streaks[o.name] < limit) weighed.warn.push(`${line} (FAIL ${streaks[o.name]} of ${limit} allowed in a row)`);
      else if (o.onFail === 'rollback') weighed.rollback.push(line);
      else weighed.fail.push(line);
    } else {
      streaks[o.name] = 0;
      if (o.status === 'WARN') weighed.warn.push(line);
    }
    if (spec?.trend && o.trendValue !== undefined) {
      const next = addPoint(
        trends[o.name] ?? { points: [] },
        { offsetMs, value: o.trendValue },
        effectiveWarmupMs(spec.trend, durationMs, firstCheckpointMs),
        spec.trend.minPoints,
      );
      trends[o.name] = next;
      for (const problem of trendProblems(spec.trend, next))
        (spec.trend.severity === 'FAIL' ? weighed.fail : weighed.warn).push(`${o.name} trend: ${problem}`);
    }
  }
  const ran = new Set((outcomes ?? []).map((o) => o.name));
  for (const spec of standing ? specs.values() : []) {
    const kept = trends[spec.name];
    if (!spec.trend || ran.has(spec.name) || !kept) continue;
    for (const problem of trendProblems(spec.trend, kept))
      (spec.trend.severity === 'FAIL' ? weighed.fail : weighed.warn).push(
        `${spec.name} trend: ${problem} (as of the last sentinel)`,
      );
  }
  return weighed;
}
