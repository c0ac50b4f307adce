/** The bare loop bench/round-trip-floor.ts times: a one-minute timer, then maybe a no-op local activity. */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';

const local = proxyLocalActivities<{ noop(): Promise<number> }>({ startToCloseTimeout: '30s' });

export async function floorWorkflow(n: number, withLocalActivity: boolean): Promise<number> {
  for (let i = 0; i < n; i++) {
    await sleep(60_000);
    if (withLocalActivity) await local.noop();
  }
  return n;
}
