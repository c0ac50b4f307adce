import { CancellationScope, log } from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { Activities } from '../activities';
import { act } from './activity-proxies';
import { failureMessage } from './failure-message';

/**
 * A message about a cutover must never change its course: a Slack outage that failed the notify
 * activity would otherwise stop a rollback before it started. Retried as usual, then logged.
 */
export async function notifyBestEffort(
  loaded: LoadedPlan,
  message: Parameters<Activities['notify']>[1],
): Promise<void> {
  try {
    await CancellationScope.nonCancellable(() => act('quick', 'Notify').notify(loaded, message));
  } catch (err) {
    log.warn(`notification not delivered, carrying on: ${failureMessage(err)}`, { key: message.key });
  }
}
