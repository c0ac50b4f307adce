/**
 * One steady-state validation as a Schedule runs it: `cutover schedule create` and `trigger`
 * (real CLI processes), the run the schedule started awaited, the schedule deleted after.
 */
import type { Client } from '@temporalio/client';
import type { ValidationResult } from '../../workflows/validation';
import { viewOrThrow } from '../../domain/outcome';
import { cutoverAt } from './cutover-cli';
import { waitFor } from './wait-for';

export async function scheduledValidation(
  client: Client,
  temporalAddress: string,
  planFile: string,
  id: string,
): Promise<ValidationResult> {
  const created = await cutoverAt(temporalAddress, ['schedule', 'create', planFile, '--every', '4h', '--id', id]);
  if (created.code !== 0) throw new Error(`schedule create exited ${created.code}: ${created.stderr}`);
  const handle = client.schedule.getHandle(id);
  try {
    const triggered = await cutoverAt(temporalAddress, ['schedule', 'trigger', id]);
    if (triggered.code !== 0) throw new Error(`schedule trigger exited ${triggered.code}: ${triggered.stderr}`);
    const run = await waitFor(`the run schedule ${id} started`, async () => {
      const d = await handle.describe();
      return d.info.recentActions[0]?.action.workflow;
    });
    return (await client.workflow
      .getHandle(run.workflowId, run.firstExecutionRunId)
      .result()
      .catch(viewOrThrow)) as ValidationResult;
  } finally {
    await handle.delete();
  }
}
