/**
 * rollbackWorkflow: the seed's rollback_to_v1.sh as a compensation workflow. Started by a
 * cutover with what it changed, or by hand (UI/CLI) with nothing but a plan and a reason.
 * The backup is verified before anything is touched: a rollback that cannot restore refuses
 * and leaves the services as they are, rather than making things worse.
 */
import {
  CancellationScope,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoadedPlan } from '../domain/loaded-plan';
import type { BackupInfo, Compensation, RollbackInput, RollbackView } from '../domain/rollback-model';
import { statusKey } from '../domain/search-attributes';
import { rollbackInputSchema, TRUSTED_FIELDS } from '../domain/message-schemas';
import { workflowIds } from '../domain/names';
import { refuseInput } from './input-gate';
import { rollbackStatusQuery } from './messages';
import { act } from './activity-proxies';
import { onHost, UNTIL_PICKED_UP } from './host-routing';
import { failureMessage } from './failure-message';
import { notifyBestEffort } from './notify-best-effort';
import { endWith } from './outcome';
import { whenCancelRequested } from './cancel-request';
import { cancelText } from '../domain/cancel-request';

/** What an on-call engineer does next when the recorded backup cannot be trusted. */
const NEXT_STEP_AFTER_REFUSAL = (plan: string) =>
  `Next: list the plan's archives (ls <backup.dir>/${plan}.*), ` +
  `then roll back with an intact one: cutover rollback --plan ` +
  `<plan file> --backup <label> --reason "…"`;

const MANUAL_ORDER: Compensation[] = ['switchTrafficToV1', 'stopV2', 'restoreBackup', 'startV1'];

/** Stopped half-way, neither V1 nor V2 would serve: a cancel request is noted and told, not obeyed. */
const NOT_CANCELLABLE = 'a rollback is not cancellable: it goes on to its end';

export async function rollbackWorkflow(rawInput: RollbackInput & { loaded?: LoadedPlan }): Promise<RollbackView> {
  return endWith('Rollback', await runRollback(rawInput));
}

async function runRollback(rawInput: RollbackInput & { loaded?: LoadedPlan }): Promise<RollbackView> {
  const started = Date.now();
  // Bad input, or a hand-started run naming its own backup/undo list/loaded plan: FAILED, nothing touched.
  const refused = refuseInput<RollbackInput>(rollbackInputSchema, rawInput, TRUSTED_FIELDS.rollback, (i) =>
    i.cutoverId ? [i.cutoverId, workflowIds.monitoring(i.cutoverId)] : [],
  );
  const input: RollbackInput & { loaded?: LoadedPlan } = refused
    ? { plan: '(invalid input)', reason: '(refused)' }
    : rawInput;
  const reason = input.reason || 'no reason given';
  const view: RollbackView = { status: 'RUNNING', reason, steps: [], message: 'starting' };
  setHandler(rollbackStatusQuery, () => view);
  const cancelled = whenCancelRequested();
  const cancelNote = () => (view.cancelRequest ? ` (${cancelText(view.cancelRequest)}: ${NOT_CANCELLABLE})` : '');
  void cancelled.then((request) => {
    view.cancelRequest = request;
    view.message = `${cancelText(request)}: ${NOT_CANCELLABLE}`;
    setCurrentDetails(`**${view.status}** — ${view.message}`);
  });
  const finish = (status: RollbackView['status'], message: string) => {
    Object.assign(view, { status, message: `${message}${cancelNote()}`, durationMs: Date.now() - started });
    upsertSearchAttributes([{ key: statusKey, value: status }]);
    const marks: Record<string, string> = { passed: '✓', failed: '✗' };
    const mark = (s: RollbackView['steps'][number]) => marks[s.state] ?? '–';
    const steps = view.steps.map((s) => `- ${mark(s)} ${s.name}: ${s.message ?? ''}`).join('\n');
    setCurrentDetails(`**${status}** in ${view.durationMs} ms — ${message}\n\n${steps}`);
    (status === 'ROLLED_BACK' ? log.info : log.error)(`Rollback ${status} in ${view.durationMs} ms: ${message}`);
    return view;
  };
  if (refused) return finish('FAILED', `nothing touched: ${refused}`);
  upsertSearchAttributes([{ key: statusKey, value: 'RUNNING' }]);

  const step = async <T>(name: string, body: () => Promise<T>): Promise<T | undefined> => {
    const t0 = Date.now();
    try {
      const result = await body();
      view.steps.push({
        name,
        state: 'passed',
        durationMs: Date.now() - t0,
        message: typeof result === 'string' ? result : undefined,
      });
      return result;
    } catch (err) {
      view.steps.push({ name, state: 'failed', durationMs: Date.now() - t0, message: failureMessage(err) });
      log.error(`rollback step failed, continuing with the rest: ${name}: ${failureMessage(err)}`);
      return undefined;
    }
  };

  // Whoever cancels this workflow still gets V1 back: the undos are not cancellable.
  let told: Promise<void> | undefined;
  const result = await CancellationScope.nonCancellable(async () => {
    // Started by hand (UI, CLI): nothing in the input but the plan ref and a label is trusted;
    // a plan object or backup path handed in is the cutover's to give, not a caller's.
    const manual = !workflowInfo().parent;
    let loaded: LoadedPlan;
    try {
      loaded = (!manual && input.loaded) || (await act('quick', 'Load and validate the plan').loadPlan(input.plan));
    } catch (err) {
      return finish('FAILED', `cannot load the plan, nothing touched: ${failureMessage(err)}`);
    }
    void cancelled.then((request) => {
      const id = input.cutoverId ?? workflowInfo().workflowId;
      const text = `Rollback of ${id}: ${cancelText(request)}; ${NOT_CANCELLABLE} (V1 back, or FAILED saying why)`;
      told = notifyBestEffort(loaded, { key: `${id}:rollback-cancel-request`, text, severity: 'warning' });
    });
    const todo = input.compensations ?? MANUAL_ORDER;
    const services = () => act('quick', 'Describe service states').describeServices(loaded);
    let backup: BackupInfo | undefined = manual ? undefined : input.backup;
    if (todo.includes('restoreBackup')) {
      try {
        if (manual) {
          // By label, else the newest of the plan; a corrupt final snapshot falls back to the
          // same cutover's Phase 1 archive (said in the step). Verified inside the choice.
          const choice = await onHost(
            loaded,
            'backup',
            'service',
            'Choose and verify the backup',
            UNTIL_PICKED_UP,
          ).chooseManualRollbackBackup(loaded, { label: input.backupLabel });
          backup = choice.backup;
          view.steps.push({ name: 'verify backup', state: 'passed', durationMs: 0, message: choice.note });
        } else {
          // The cutover's own record: if it is corrupt the rollback refuses, no silent fallback.
          backup ??= await onHost(
            loaded,
            'backup',
            'quick',
            'Find the newest backup',
            UNTIL_PICKED_UP,
          ).findLatestBackup(loaded);
          await onHost(
            loaded,
            'backup',
            'service',
            `Verify backup checksum ${backup.archive}`,
            UNTIL_PICKED_UP,
          ).verifyBackupArchive(loaded, backup);
          view.steps.push({ name: 'verify backup', state: 'passed', durationMs: 0, message: backup.archive });
        }
      } catch (err) {
        view.steps.push({ name: 'verify backup', state: 'failed', durationMs: 0, message: failureMessage(err) });
        const message =
          `rollback refused, nothing touched: ${failureMessage(err)}. ` +
          `Services now: ${await services()}. ${NEXT_STEP_AFTER_REFUSAL(loaded.plan.name)}`;
        // The most urgent state of all (V1 may be stopped, V2 may be bad): never silent.
        const id = input.cutoverId ?? workflowInfo().workflowId;
        await notifyBestEffort(loaded, {
          key: `${id}:rollback-refused`,
          text: `Rollback of ${id} REFUSED, needs a human: ${message}`,
          severity: 'critical',
        });
        return finish('FAILED', message);
      }
    }
    for (const compensation of todo) {
      if (compensation === 'switchTrafficToV1') {
        // The router exactly as before the cutover, read back and compared (not just "V1 active").
        const id = input.cutoverId;
        // The file driver keeps the seed's step name: its undo is still "switch traffic to V1".
        await step(loaded.plan.traffic?.driver === 'file' ? 'switch traffic to V1' : 'restore the router', () =>
          onHost(loaded, 'traffic', 'router', 'Restore the router to its state before the cutover', UNTIL_PICKED_UP)
            .restoreTraffic(loaded, id)
            .then((t) => t?.summary ?? 'no router'),
        );
      }
      if (compensation === 'stopV2')
        await step('stop V2', () =>
          onHost(loaded, 'v2', 'service', 'Stop V2', UNTIL_PICKED_UP)
            .stopService(loaded, 'v2')
            .then((r) => (r.forced ? 'force-stopped' : 'stopped')),
        );
      if (compensation === 'restoreBackup')
        await step('restore backup', () =>
          onHost(loaded, 'backup', 'service', 'Restore the backup', UNTIL_PICKED_UP)
            .restoreBackupArchive(loaded, backup!)
            .then((r) => `${backup!.archive}; replaced data kept in ${r.displaced}`),
        );
      if (compensation === 'startV1')
        await step('start V1', () =>
          onHost(loaded, 'v1', 'service', 'Start V1 and wait until healthy', UNTIL_PICKED_UP)
            .startService(loaded, 'v1')
            .then((h) => `healthy (${h.status})`),
        );
    }
    // Probed only now: V1 was started after the router was put back.
    if (loaded.plan.traffic?.publicUrl && todo.includes('switchTrafficToV1')) {
      await step('V1 answering through the router', () =>
        act('router', 'Verify through the router')
          .verifyTraffic(loaded)
          .then((t) => `${t?.summary}; ${t?.verified?.answers ?? 0} answers in ${t?.verified?.ms ?? 0} ms`),
      );
    }
    if (input.baseline && view.steps.every((s) => s.state === 'passed')) {
      const baseline = input.baseline;
      await step('V1 KPIs match the pre-cutover baseline', () =>
        act('quick', 'Check V1 KPIs')
          .compareWithBaseline(loaded, 'v1', baseline)
          .then((r) => r.summary),
      );
    }
    const failed = view.steps.filter((s) => s.state === 'failed');
    const id = input.cutoverId ?? workflowInfo().workflowId;
    if (failed.length) {
      const message = `${failed.map((s) => `${s.name}: ${s.message}`).join('; ')}. Services now: ${await services()}`;
      const next =
        `Next: fix what the failed step names, then run the rollback ` +
        `again (each step is idempotent): cutover rollback --plan <plan ` +
        `file> --reason "…"`;
      await notifyBestEffort(loaded, {
        key: `${id}:rollback-failed`,
        text: `Rollback of ${id} FAILED, needs a human: ${message}. ${next}`,
        severity: 'critical',
      });
      return finish('FAILED', message);
    }
    await notifyBestEffort(loaded, {
      key: `${id}:rolled-back`,
      text: `Rollback of ${id} complete ✓ - V1 serving (${Date.now() - started} ms)`,
      severity: 'warning',
    });
    return finish('ROLLED_BACK', `V1 serving (${reason})`);
  });
  // the cancel request's notification, if one came, is sent before the rollback ends
  await told;
  return result;
}
