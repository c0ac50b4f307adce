/** Rules across fields that a per-field schema cannot express. */
import type { Plan } from './plan-schema';
import { parseDuration } from './duration';
import { dataPaths, staticEscape } from './data-paths';

export interface PlanProblem {
  path: string;
  message: string;
}

export function crossFieldProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const approvers = plan.approvals.approvers;
  const needRole = (role: string, where: string) => {
    if (!approvers[role]) {
      problems.push({
        path: `approvals.approvers.${role}`,
        message: `role "${role}" is required by ${where} but nobody may approve for it: add approvals.approvers.${role}: [name, ...]`,
      });
    }
  };
  plan.approvals.gate.roles.forEach((role) => needRole(role, 'approvals.gate.roles'));
  const total = parseDuration(plan.monitoring.duration);
  plan.monitoring.decisionPoints.forEach((point, i) => {
    point.roles.forEach((role) => needRole(role, `monitoring.decisionPoints.${i}.roles`));
    if (parseDuration(point.at) > total) {
      problems.push({
        path: `monitoring.decisionPoints.${i}.at`,
        message: `${point.at} is after the end of monitoring (${plan.monitoring.duration}): move it or lengthen monitoring.duration`,
      });
    }
  });
  const labels = plan.monitoring.decisionPoints.map((d) => d.label.trim());
  labels.forEach((label, i) => {
    if (!label) problems.push({ path: `monitoring.decisionPoints.${i}.label`, message: 'a decision point needs a label: votes are addressed to it, e.g. "Hour 8 decision point"' });
    else if (labels.indexOf(label) !== i) problems.push({ path: `monitoring.decisionPoints.${i}.label`, message: `"${label}" is used twice: give each decision point its own label` });
  });
  const lastUntil = parseDuration(plan.monitoring.cadence[plan.monitoring.cadence.length - 1].until);
  if (lastUntil < total) {
    problems.push({
      path: 'monitoring.cadence',
      message: `the last cadence entry ends at ${plan.monitoring.cadence.at(-1)!.until}, before monitoring.duration (${plan.monitoring.duration}): extend its "until"`,
    });
  }
  if (plan.services.v1.name === plan.services.v2.name) {
    problems.push({ path: 'services.v2.name', message: 'V1 and V2 share a name: pid files and logs would collide; give V2 its own name' });
  }
  if (plan.thresholds.errorRateWarn > plan.thresholds.errorRateRollback) {
    problems.push({ path: 'thresholds.errorRateWarn', message: 'the warning rate is above the rollback rate: make errorRateWarn smaller than errorRateRollback' });
  }
  for (const { field, value } of dataPaths(plan)) {
    const escape = staticEscape(value, plan.workdir);
    if (escape) problems.push({ path: field, message: escape });
  }
  return problems;
}
