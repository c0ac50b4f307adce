/**
 * Phase 5 until the five production checks exist: the new service is healthy and its KPIs
 * match what V1 computed before the switch.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { ServiceRole } from '../domain/plan-schema';
import type { Kpis } from '../domain/kpi-compare';
import { probeHealth, describeProbe } from './services/health';
import { compareWithBaseline } from './kpis';
import { FailureType } from './failure-types';

export async function validateProduction(loaded: LoadedPlan, role: ServiceRole, baseline?: Kpis): Promise<{ status: 'PASS'; summary: string }> {
  const spec = loaded.plan.services[role];
  const health = await probeHealth(spec);
  if (!health.healthy) throw ApplicationFailure.nonRetryable(`${spec.name} is not healthy: ${describeProbe(health)}`, FailureType.ValidationFailed);
  if (!baseline) return { status: 'PASS', summary: `${spec.name} healthy; no baseline to compare KPIs with` };
  const { summary } = await compareWithBaseline(loaded, role, baseline);
  return { status: 'PASS', summary: `${spec.name} healthy; KPIs vs pre-cutover V1: ${summary}` };
}
