import { proxyLocalActivities, sleep } from '@temporalio/workflow';
const local = proxyLocalActivities<{ noop(x: unknown): Promise<number> }>({ startToCloseTimeout: '30s' });
export async function floorWorkflow(n: number, withLa: boolean, payload: unknown): Promise<number> {
  for (let i = 0; i < n; i++) {
    await sleep(60_000);
    if (withLa) await local.noop(payload);
  }
  return n;
}
