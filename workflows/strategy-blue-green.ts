/**
 * blueGreen and what canary shares with it: V1 keeps serving until the switch, V2 is started
 * beside it, the switch drains V1, and V1 is retired (stopped) only after the bake. A rollback
 * before that is a switch back: the router restored exactly, V2 stopped, no restore unless the
 * plan says the services share data.
 */
import { sleep } from '@temporalio/workflow';
import { parseDuration } from '../domain/duration';
import type { PhaseContext } from './phase-context';
import { onHost } from './host-routing';
import { recordTraffic, strategyOf } from './strategy-traffic';

/** Phase 3 of blueGreen and canary: nothing stops, V1 serves on. */
export async function keepV1Serving(ctx: PhaseContext): Promise<string> {
  return (
    `V1 (${ctx.loaded.plan.services.v1.name}) keeps serving: ` +
    `${strategyOf(ctx.loaded)} stops it only after V2 has taken the traffic`
  );
}

export async function blueGreenActivation(ctx: PhaseContext): Promise<string> {
  const { loaded } = ctx;
  const { blueGreen } = loaded.plan;
  if (blueGreen.sharedData) {
    // both write the same data: what a rollback would restore is V1's data at the switch
    ctx.compensations.push('restoreBackup');
    ctx.backup = await onHost(
      loaded,
      'backup',
      'service',
      'Snapshot of the shared data before the switch',
    ).backupForCutover(loaded, `${ctx.cutoverId}.${ctx.runId.slice(0, 8)}.final`);
  }
  ctx.compensations.push('stopV2');
  const health = await onHost(
    loaded,
    'v2',
    'service',
    `Start V2 (${loaded.plan.services.v2.name}) beside V1 and wait ` + `until healthy`,
  ).startService(loaded, 'v2');
  ctx.compensations.push('switchTrafficToV1');
  const switched = await onHost(
    loaded,
    'traffic',
    'service',
    'Switch traffic to V2 (V1 drained, kept warm)',
  ).switchTraffic(loaded, 'v2');
  recordTraffic(ctx, switched?.traffic);
  return (
    `V2 healthy (${health.status}) beside V1; traffic → ` +
    `${switched?.traffic?.summary ?? switched?.upstream ?? 'V2'}; V1 ` +
    `drained and kept warm for ${blueGreen.bakeTime}`
  );
}

/**
 * After Phase 5 (blueGreen, canary): the bake with V1 warm, then V1 stopped. The bake is a
 * plain timer in the cutover's cancellation scope: a rollback signal during it rolls back at
 * once with what is registered (a switch back, V2 stopped).
 */
export async function retireV1(ctx: PhaseContext): Promise<void> {
  const strategy = strategyOf(ctx.loaded);
  if (strategy === 'cutover') return;
  if (strategy === 'blueGreen') {
    const bakeMs = parseDuration(ctx.loaded.plan.blueGreen.bakeTime);
    if (ctx.traffic) ctx.traffic.bakeUntil = new Date(Date.now() + bakeMs).toISOString();
    ctx.say?.(
      `bake: V2 serving, V1 drained and warm for ` +
        `${ctx.loaded.plan.blueGreen.bakeTime}; a rollback now is a ` +
        `switch back`,
    );
    await sleep(bakeMs, { summary: `Bake ${ctx.loaded.plan.blueGreen.bakeTime}: V1 warm for a switch back` });
  }
  ctx.compensations.push('startV1');
  const { forced } = await onHost(
    ctx.loaded,
    'v1',
    'service',
    `Stop V1 (${ctx.loaded.plan.services.v1.name}): retired after ` +
      `the ${strategy === 'blueGreen' ? 'bake' : 'canary'}`,
  ).stopService(ctx.loaded, 'v1');
  if (ctx.traffic) {
    ctx.traffic.bakeUntil = undefined;
    ctx.traffic.steps.push({
      at: new Date().toISOString(),
      label: 'V1 retired',
      summary: `V1 ${forced ? 'force-stopped' : 'stopped'}; ${ctx.traffic.now ?? 'V2 serving'}`,
    });
  }
}
