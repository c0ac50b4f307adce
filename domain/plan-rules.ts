/** Rules across fields that a per-field schema cannot express. */
import type { Plan } from './plan-schema';
import { parseDuration } from './duration';
import { parsePublicKey, SignatureProblem } from './approval-signature';
import { dataPaths, staticEscape } from './data-paths';
import { trafficProblems } from './traffic-rules';
import type { PlanProblem } from './plan-problem';

export function crossFieldProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const approvers = plan.approvals.approvers;
  const needRole = (role: string, where: string) => {
    if (!approvers[role]) {
      problems.push({
        path: `approvals.approvers.${role}`,
        message:
          `role "${role}" is required by ${where} but nobody may approve ` +
          `for it: add approvals.approvers.${role}: [name, ...]`,
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
        message:
          `${point.at} is after the end of monitoring (` +
          `${plan.monitoring.duration}): move it or lengthen monitoring.duration`,
      });
    }
  });
  const labels = plan.monitoring.decisionPoints.map((d) => d.label.trim());
  labels.forEach((label, i) => {
    if (!label)
      problems.push({
        path: `monitoring.decisionPoints.${i}.label`,
        message: 'a decision point needs a label: votes are addressed to it, ' + 'e.g. "Hour 8 decision point"',
      });
    else if (labels.indexOf(label) !== i)
      problems.push({
        path: `monitoring.decisionPoints.${i}.label`,
        message: `"${label}" is used twice: give each decision point its own label`,
      });
  });
  const lastUntil = parseDuration(plan.monitoring.cadence[plan.monitoring.cadence.length - 1].until);
  if (lastUntil < total) {
    problems.push({
      path: 'monitoring.cadence',
      message:
        `the last cadence entry ends at ` +
        `${plan.monitoring.cadence.at(-1)!.until}, before ` +
        `monitoring.duration (${plan.monitoring.duration}): extend its "until"`,
    });
  }
  if (plan.services.v1.name === plan.services.v2.name) {
    problems.push({
      path: 'services.v2.name',
      message: 'V1 and V2 share a name: pid files and logs would collide; give ' + 'V2 its own name',
    });
  }
  if (plan.thresholds.errorRateWarn > plan.thresholds.errorRateRollback) {
    problems.push({
      path: 'thresholds.errorRateWarn',
      message: 'the warning rate is above the rollback rate: make ' + 'errorRateWarn smaller than errorRateRollback',
    });
  }
  for (const { field, value } of dataPaths(plan)) {
    const escape = staticEscape(value, plan.workdir);
    if (escape) problems.push({ path: field, message: escape });
  }
  problems.push(...signatureProblems(plan));
  problems.push(...trafficProblems(plan));
  return problems;
}

/** Signed votes: every key must parse, and with requireSignatures every approver needs one. */
function signatureProblems(plan: Plan): PlanProblem[] {
  const { keys, requireSignatures, approvers } = plan.approvals;
  const problems: PlanProblem[] = [];
  for (const [person, listed] of Object.entries(keys)) {
    (Array.isArray(listed) ? listed : [listed]).forEach((line, i) => {
      try {
        parsePublicKey(line);
      } catch (err) {
        if (!(err instanceof SignatureProblem)) throw err;
        const at = Array.isArray(listed) ? `approvals.keys.${person}.${i}` : `approvals.keys.${person}`;
        problems.push({ path: at, message: `${err.message}; print yours with: cat ~/.ssh/id_ed25519.pub` });
      }
    });
  }
  if (requireSignatures) {
    const people = [...new Set(Object.values(approvers).flat())];
    for (const person of people.filter((p) => !(p in keys))) {
      problems.push({
        path: `approvals.keys.${person}`,
        message:
          `approvals.requireSignatures is on but ${person} has no key: ` +
          `add approvals.keys.${person}: "ssh-ed25519 AAAA… ` +
          `${person}@host" (the line of their ~/.ssh/id_ed25519.pub)`,
      });
    }
    if (plan.approvals.allowAutoApprove) {
      problems.push({
        path: 'approvals.allowAutoApprove',
        message:
          'signed votes are required, yet auto-approve would open the ' +
          'gate with no signature: remove allowAutoApprove or requireSignatures',
      });
    }
  }
  return problems;
}
