/**
 * The state a successful cutover leaves, made directly so monitoring can be tested on its own:
 * V2 serving, V1 stopped, a backup of the data, and V1's answers as the baseline.
 */
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '../../domain/names';
import { startService, stopService } from '../../activities/service-control';
import { captureBaseline } from '../../activities/checks/baseline-store';
import { backupForCutover } from '../../activities/backup-steps';
import type { DemoFixture } from './demo-fixture';
import { uniqueId } from './cutover-runner';

export async function afterCutoverState(fixture: DemoFixture, prefix = 'cutover-monitored') {
  const loaded = fixture.loaded();
  await startService(loaded, 'v1');
  await startService(loaded, 'v2');
  // what the shadow run would have handed over: V1's answers to the compare checks
  const { values: baseline } = await captureBaseline(loaded, 'v1');
  const cutoverId = uniqueId(prefix);
  const backup = await backupForCutover(loaded, cutoverId);
  await stopService(loaded, 'v1');
  return { cutoverId, backup, baseline };
}

export async function startMonitoring(client: Client, fixture: DemoFixture, prefix?: string) {
  const { cutoverId, baseline } = await afterCutoverState(fixture, prefix);
  // No `backup`: only a cutover may hand one over (a hand-started monitoring refuses it); its
  // rollback finds the archive made above in the plan's backup folder.
  return client.workflow.start('monitoringWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `${cutoverId}-monitoring`,
    args: [{ plan: fixture.plan, cutoverId, baseline }],
  });
}
