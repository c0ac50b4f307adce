/** A timeout's message names what most likely happened, not "activity Heartbeat timeout". */
import { ActivityFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { failureMessage } from '../../workflows/failure-message';

const timedOut = (type: 'HEARTBEAT' | 'START_TO_CLOSE' | 'SCHEDULE_TO_START') =>
  new ActivityFailure(
    'Activity task timed out',
    'runPlanTests',
    '1',
    RetryState.TIMEOUT,
    'worker@host',
    new TimeoutFailure(`activity ${type} timeout`, undefined, type),
  );

test('each timeout type says what most likely happened, and which step', () => {
  expect(failureMessage(timedOut('HEARTBEAT'))).toBe(
    'runPlanTests: the worker running this step stopped answering ' +
      '(crashed or lost its connection) [heartbeat timeout]',
  );
  expect(failureMessage(timedOut('START_TO_CLOSE'))).toMatch(
    /^runPlanTests: the step did not finish within its time limit \(it hung, or the worker running it was lost\) \[start-to-close timeout\]$/,
  );
  expect(failureMessage(timedOut('SCHEDULE_TO_START'))).toMatch(/no worker picked the step up in time/);
});
