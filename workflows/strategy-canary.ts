/**
 * canary: V2 started beside V1, then the plan's weight steps (e.g. 10 → 50 → 100). Each step is
 * read back and seen through the router, then waits its pause and/or an approval (the same gate
 * machinery as GO/NO-GO), then runs the checks on V2 while V1 takes the rest, compared with V1
 * read live under the same split. A FAIL, a NO-GO or a failed step throws: the rollback restores the router (V2
 * weight 0, as before) and stops V2.
 */
import { ApplicationFailure, sleep } from '@temporalio/workflow';
import { parseDuration } from '../domain/duration';
import { FailureType } from '../domain/failure-types';
import { act } from './activity-proxies';
import type { PhaseContext } from './phase-context';
import { hostCheckOutcomes } from './host-checks';
import { onHost } from './host-routing';
import { recordTraffic } from './strategy-traffic';

export async function canaryActivation(ctx: PhaseContext): Promise<string> {
  const { loaded } = ctx;
  const steps = loaded.plan.canary.steps;
  ctx.compensations.push('stopV2');
  const health = await onHost(
    loaded,
    'v2',
    'service',
    `Start V2 (${loaded.plan.services.v2.name}) beside V1 for the canary`,
  ).startService(loaded, 'v2');
  ctx.compensations.push('switchTrafficToV1');
  const done: string[] = [];
  for (const [i, step] of steps.entries()) {
    const name = `canary step ${i + 1}/${steps.length} (V2 ${step.weight}%)`;
    const traffic = await onHost(
      loaded,
      'traffic',
      'service',
      `Canary step ${i + 1}: V2 ${step.weight}% of traffic`,
    ).setTrafficWeights(loaded, step.weight);
    recordTraffic(ctx, traffic, name);
    if (step.pause) {
      ctx.say?.(`${name}: ${traffic?.summary ?? ''}; pausing ${step.pause} before its checks`);
      await sleep(parseDuration(step.pause), { summary: `${name}: pause ${step.pause}` });
    }
    if (step.approval && ctx.gates) {
      const spec = {
        id: `canary-step-${i + 1}`,
        roles: step.approval,
        timeoutMs: parseDuration(loaded.plan.approvals.gate.timeout),
        onTimeout: 'NO_GO' as const,
        summary: `${name}: waiting for ${step.approval.join(' + ')}`,
      };
      ctx.say?.(spec.summary);
      const decision = ctx.autoApprove ? ctx.gates.autoApprove(spec) : (await ctx.gates.waitForVotes(spec)).decision;
      if (decision === 'NO_GO')
        throw ApplicationFailure.nonRetryable(
          `${name}: NO-GO from ${step.approval.join(' + ')} (or no vote ` + `in time)`,
          FailureType.ValidationFailed,
        );
    }
    // Command checks with a host run on its agent first (plans without such checks: unchanged commands).
    const hosted = await hostCheckOutcomes(loaded, 'v2', 'phase5', { baseline: ctx.baseline, baselineFromPlan: true });
    const checks = act('validation', `Checks of V2 at ${step.weight}% against V1 live (V1 takes the rest)`);
    const stepRef = { cutoverId: ctx.cutoverId, step: i + 1, weight: step.weight };
    const analysis = await (hosted
      ? checks.canaryAnalysis(loaded, stepRef, ctx.baseline, hosted)
      : checks.canaryAnalysis(loaded, stepRef, ctx.baseline));
    const record = ctx.traffic?.steps.at(-1);
    if (record) record.analysis = `${analysis.summary}: ${analysis.measured.join('; ')}`;
    ctx.say?.(`${name}: ${analysis.summary}`);
    if (analysis.status === 'FAIL')
      throw ApplicationFailure.nonRetryable(
        `${name}: V2 worse than V1 live: ${analysis.failing.join('; ')} ` + `(report ${analysis.reportPath})`,
        FailureType.ValidationFailed,
      );
    done.push(`${step.weight}% ${analysis.status}`);
  }
  const traffic = ctx.traffic?.now ?? 'V2';
  return `V2 healthy (${health.status}) beside V1; canary ${done.join(' → ')}; traffic → ${traffic}`;
}
