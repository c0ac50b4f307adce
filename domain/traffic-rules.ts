/** Plan rules about traffic and strategies that per-field schemas cannot express. Pure. */
import type { Plan } from './plan-schema';
import type { PlanProblem } from './plan-problem';

const address = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
};

export function trafficProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const t = plan.traffic;
  const side = plan.strategy !== 'cutover';
  if (side && !t) {
    problems.push({
      path: 'traffic',
      message:
        `strategy ${plan.strategy} moves traffic between V1 and V2 ` +
        `while both run: add a traffic section (driver nginx, haproxy, ` +
        `exec or file)`,
    });
  }
  if (side && address(plan.services.v1.baseUrl) === address(plan.services.v2.baseUrl)) {
    problems.push({
      path: 'services.v2.baseUrl',
      message:
        `strategy ${plan.strategy} runs V1 and V2 side by side, but ` +
        `both use ${address(plan.services.v1.baseUrl)}: give V2 its own ` +
        `port, or use strategy: cutover`,
    });
  }
  if (plan.strategy === 'canary' && t && (t.driver === 'file' || (t.driver === 'exec' && !t.weights))) {
    problems.push({
      path: t.driver === 'file' ? 'traffic.driver' : 'traffic.weights',
      message:
        'a canary splits traffic by weight: use the nginx or haproxy ' +
        'driver, or give the exec driver a weights command',
    });
  }
  if (plan.strategy === 'canary') {
    const steps = plan.canary.steps;
    steps.forEach((s, i) => {
      if (i > 0 && s.weight <= steps[i - 1].weight)
        problems.push({
          path: `canary.steps.${i}.weight`,
          message:
            `canary weights must rise (${steps[i - 1].weight} then ` +
            `${s.weight}): order the steps, e.g. 10, 50, 100`,
        });
      (s.approval ?? []).forEach((role) => {
        if (!plan.approvals.approvers[role])
          problems.push({
            path: `canary.steps.${i}.approval`,
            message:
              `role "${role}" approves this step but nobody may approve for ` + `it: add approvals.approvers.${role}`,
          });
      });
    });
    if (steps.at(-1)!.weight !== 100)
      problems.push({
        path: `canary.steps.${steps.length - 1}.weight`,
        message:
          'the last canary step must send 100% to V2 (the cutover ends ' + 'with V2 serving): add { weight: 100 }',
      });
  }
  if (t?.verify.header && t.verify.jsonField) {
    problems.push({
      path: 'traffic.verify',
      message: 'give either header or jsonField (how an answer names its ' + 'version), not both',
    });
  }
  // exec may drive something with no address of its own to probe (DNS, a cloud balancer's API): its read-back is the
  // check then
  if (t && !t.publicUrl && (t.driver === 'nginx' || t.driver === 'haproxy')) {
    problems.push({
      path: 'traffic.publicUrl',
      message:
        `the ${t.driver} driver switches a router: give its public ` +
        `address (e.g. http://127.0.0.1:8100) so every switch is ` +
        `verified through it`,
    });
  }
  return problems;
}
