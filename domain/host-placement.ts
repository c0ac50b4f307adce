/**
 * Where each host-local fact and script of a plan lives, so the workflows can send the step to
 * that machine's agent (`cutover-host-<NAME>`); undefined means the orchestrator's own queue.
 * Pure: the workflows call it on the loaded plan recorded in their history.
 */
import type { Plan } from './plan-schema';
import type { ServiceRole } from './service-schema';
import type { CheckMoment, CheckSpec } from './check-schema';
import type { FlatValues } from './value-compare';

/**
 * Phase 0's facts: the backup paths and the free disk under `backup.dir` are the backup host's;
 * the V2 artifact is V2's host's; V1's health is an HTTP probe of its baseUrl, which the
 * orchestrator reaches anyway (every validation runs there).
 */
export const PREREQUISITE_PARTS = ['backup', 'artifact', 'v1Health'] as const;
export type PrerequisitePart = (typeof PREREQUISITE_PARTS)[number];

export interface PrerequisiteGroup {
  host?: string;
  parts: PrerequisitePart[];
}

/** The prerequisite facts grouped by the machine that can see them, the orchestrator's first. */
export function prerequisiteGroups(plan: Plan): PrerequisiteGroup[] {
  const placed: Array<[PrerequisitePart, string | undefined]> = [
    ['v1Health', undefined],
    ['backup', plan.backup.host],
  ];
  if (plan.services.v2.artifact) placed.push(['artifact', plan.services.v2.host]);
  const groups: PrerequisiteGroup[] = [];
  for (const [part, host] of placed) {
    const group = groups.find((g) => g.host === host);
    if (group) group.parts.push(part);
    else groups.push({ host, parts: [part] });
  }
  return groups;
}

/**
 * A `command` check runs where the team's script is: its own `command.host`, else the host of
 * the service it checks (V2's code, V2's repository), else the orchestrator. Other providers
 * (http, prometheus, sql) ask a server over the network and run on the orchestrator.
 */
export function commandCheckHost(plan: Plan, check: CheckSpec, role: ServiceRole): string | undefined {
  if (!check.command) return undefined;
  return check.command.host ?? plan.services[role].host;
}

/** What a host's command checks need from the orchestrator's run of the same moment. */
export interface HostChecksContext {
  /** what the orchestrator's run would compare with (the shadow run's V1 values) */
  baseline?: FlatValues;
  /** without a recorded baseline, use the plan's validation.baselineFile (as Phase 5 and the checkpoints do) */
  baselineFromPlan?: boolean;
  /** the shadow run: V1 is asked live */
  v1Live?: boolean;
}

/** The plan's checks at `moment` that run on a host agent, grouped by host, in plan order. */
export function hostedCheckGroups(
  plan: Plan,
  role: ServiceRole,
  moment: CheckMoment,
): Array<{ host: string; names: string[] }> {
  const groups: Array<{ host: string; names: string[] }> = [];
  for (const check of plan.checks ?? []) {
    const host = check.at.includes(moment) ? commandCheckHost(plan, check, role) : undefined;
    if (!host) continue;
    const group = groups.find((g) => g.host === host);
    if (group) group.names.push(check.name);
    else groups.push({ host, names: [check.name] });
  }
  return groups;
}
