/** `cutover status` text of the workflows that are not a cutover, and of runs that ended without a view. Pure. */
import { renderWorkflow } from '../../client/render-workflow';
import { referToFailedPhase, renderStatus } from '../../client/render-status';
import type { CutoverView } from '../../domain/cutover-model';
import { afterSuccessLine } from '../../client/after-success';
import type { RollbackView } from '../../domain/rollback-model';

const AT = '2026-12-03T08:50:12.345Z';

test('a terminated run says when, by whom, why and its last state, and nothing live', () => {
  const text = renderWorkflow({
    workflowId: 'm-1',
    type: 'monitoringWorkflow',
    running: false,
    closed: { status: 'TERMINATED', at: AT, by: 'bob@ops', reason: 'done', lastState: 'MONITORING' },
  });
  expect(text).toBe(
    'm-1  monitoringWorkflow\nSTATUS: TERMINATED at 2026-12-03 08:50:12 UTC by bob@ops: done (last state: MONITORING)',
  );
});

test('a rollback shows its steps and says a cancel request is not obeyed while it runs', () => {
  const view: RollbackView = {
    status: 'RUNNING',
    reason: 'V2 misbehaves',
    message: 'cancelled by alice at x: a rollback is not cancellable',
    steps: [{ name: 'stop V2', state: 'passed', durationMs: 1200, message: 'stopped' }],
    cancelRequest: { by: 'alice', at: AT },
  };
  const text = renderWorkflow({ workflowId: 'r-1', type: 'rollbackWorkflow', running: true, view });
  expect(text).toMatch(
    /^r-1 {2}rollback: V2 misbehaves\n {2}✓ stop V2 +\S+ +stopped\n {2}cancelled by alice at 2026-12-03T08:50:12.345Z: not cancellable, it goes on to its end\nSTATUS: RUNNING — /,
  );
});

test('a validation result and a lock read plainly', () => {
  expect(
    renderWorkflow({
      workflowId: 'v-1',
      type: 'validationWorkflow',
      running: false,
      view: { status: 'CANCELLED', summary: 'cancelled by alice' },
    }),
  ).toBe('v-1  validation\nSTATUS: CANCELLED — cancelled by alice');
  expect(
    renderWorkflow({
      workflowId: 'cutover-lock:plan:x',
      type: 'cutoverLock',
      running: true,
      parent: 'cutover-x-1',
    }),
  ).toBe('cutover-lock:plan:x  lock, held by cutover-x-1');
});

test('a view carried by a failed run is shown, with how the run ended', () => {
  const view = { status: 'ROLLED_BACK', reason: 'r', message: 'V1 serving', steps: [] };
  expect(
    renderWorkflow({
      workflowId: 'r-2',
      type: 'rollbackWorkflow',
      running: false,
      view,
      closed: { status: 'FAILED', at: AT, reason: 'rolled back' },
    }),
  ).toMatch(/STATUS: ROLLED_BACK — V1 serving\n {2}\(the workflow FAILED at 2026-12-03 08:50:12 UTC: rolled back\)$/);
});

test('after SUCCESS, a cancelled or terminated monitoring is said as its end, not as a rollback', () => {
  expect(
    afterSuccessLine({
      monitoringWorkflowId: 'c-monitoring',
      status: 'CANCELLED',
      message: 'cancelled by alice at x; V2 keeps serving',
    }),
  ).toBe('SUCCESS, then its monitoring (c-monitoring) ended CANCELLED: cancelled by alice at x; V2 keeps serving');
  expect(
    afterSuccessLine({ monitoringWorkflowId: 'c-monitoring', status: 'TERMINATED', message: 'TERMINATED at …' }),
  ).toMatch(/^SUCCESS, then its monitoring \(c-monitoring\) ended TERMINATED/);
  expect(
    afterSuccessLine({
      monitoringWorkflowId: 'c-monitoring',
      status: 'ROLLED_BACK',
      rollbackAt: AT,
      rollbackStatus: 'ROLLED_BACK',
      message: 'm',
    }),
  ).toBe(`SUCCESS, then ROLLED_BACK by its monitoring at ${AT} (c-monitoring): m`);
  expect(
    afterSuccessLine({ monitoringWorkflowId: 'c-monitoring', status: 'MONITORING', message: 'm' }),
  ).toBeUndefined();
});

test("a failed phase's reason is printed once: the status lines after it refer to its line", () => {
  const reason = 'production validation of loans-v2 FAILED: totals_script: exited 1 (stdout: "totalAmount 1 != 2")';
  const view = {
    cutoverId: 'cutover-x-1',
    plan: 'x',
    status: 'ROLLED_BACK',
    message: `${reason}; rolled back: V1 serving`,
    phases: [{ id: 'phase5', title: 'Phase 5: Post-cutover validation', state: 'failed', message: reason }],
    approvals: [],
    rejectedApprovals: [],
  } as unknown as CutoverView;
  const text = renderStatus(view);
  expect(text.split('totalAmount 1 != 2').length - 1).toBe(1);
  expect(text).toMatch(/\n {2}Phase 5: Post-cutover validation failed \(see its line\); rolled back: V1 serving$/);
  expect(referToFailedPhase({ ...view, status: 'ROLLING_BACK' }, `rolling back: ${reason}`)).toBe(
    'rolling back: Phase 5: Post-cutover validation failed (see its line)',
  );
});
