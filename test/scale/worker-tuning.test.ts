/** Worker capacity from CUTOVER_* variables, and which modules all cached workflows share. */
import path from 'node:path';
import { tuningFromEnv, WorkerTuningError } from '../../worker/worker-tuning';
import { sharedModules } from '../../worker/bundle-options';

describe('worker capacity from the environment', () => {
  test('nothing set: the SDK defaults (no field at all)', () => {
    expect(tuningFromEnv({})).toEqual({});
  });

  test('each variable sets its WorkerOptions field', () => {
    expect(
      tuningFromEnv({
        CUTOVER_MAX_CACHED_WORKFLOWS: '1200',
        CUTOVER_WORKFLOW_TASK_SLOTS: '20',
        CUTOVER_WORKFLOW_TASK_POLLS: '4',
        CUTOVER_LOCAL_ACTIVITY_SLOTS: '50',
        CUTOVER_ACTIVITY_SLOTS: '30',
        CUTOVER_WORKFLOW_THREADS: '2',
        CUTOVER_STICKY_TIMEOUT: '30s',
      }),
    ).toEqual({
      maxCachedWorkflows: 1200,
      maxConcurrentWorkflowTaskExecutions: 20,
      maxConcurrentWorkflowTaskPolls: 4,
      maxConcurrentLocalActivityExecutions: 50,
      maxConcurrentActivityTaskExecutions: 30,
      workflowThreadPoolSize: 2,
      stickyQueueScheduleToStartTimeout: 30_000,
    });
  });

  test('a cache of 0 is allowed (no cache); 0 slots are not', () => {
    expect(tuningFromEnv({ CUTOVER_MAX_CACHED_WORKFLOWS: '0' })).toEqual({ maxCachedWorkflows: 0 });
    expect(() => tuningFromEnv({ CUTOVER_WORKFLOW_TASK_SLOTS: '0' })).toThrow(
      'CUTOVER_WORKFLOW_TASK_SLOTS="0": expected a whole number ≥ 1',
    );
  });

  test('a bad value names the variable and the fix', () => {
    expect(() => tuningFromEnv({ CUTOVER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(WorkerTuningError);
    expect(() => tuningFromEnv({ CUTOVER_MAX_CACHED_WORKFLOWS: '1.5' })).toThrow(
      /CUTOVER_MAX_CACHED_WORKFLOWS="1.5": expected a whole number ≥ 0 \(unset it for the SDK default\)/,
    );
    expect(() => tuningFromEnv({ CUTOVER_STICKY_TIMEOUT: '10' })).toThrow(
      /CUTOVER_STICKY_TIMEOUT="10": expected a duration such as 10s or 1m/,
    );
  });
});

describe('modules shared by all cached workflows', () => {
  const names = (env: NodeJS.ProcessEnv = {}) => sharedModules(env).map((m) => path.basename(m));

  test('the pure domain modules and @noble, never zod nor a module that builds zod schemas', () => {
    const shared = names();
    expect(shared).toEqual(
      expect.arrayContaining([
        'ed25519',
        'sha2',
        'duration.ts',
        'monitoring-schedule.ts',
        'decision-matrix.ts',
        'approval-signature.ts',
      ]),
    );
    // zod 4 rewrites a schema's internals on its first parse: frozen, it would fail every workflow
    for (const schemaModule of [
      'message-schemas.ts',
      'plan-schema.ts',
      'check-schema.ts',
      'traffic-schema.ts',
      'message-readers.ts',
    ])
      expect(shared).not.toContain(schemaModule);
    expect(shared.some((m) => m.startsWith('zod'))).toBe(false);
    // workflows/ call the workflow API per workflow: never shared
    expect(sharedModules({}).some((m) => m.includes(`${path.sep}workflows${path.sep}`))).toBe(false);
  });

  test('CUTOVER_SHARE_MODULES=0 shares nothing', () => {
    expect(names({ CUTOVER_SHARE_MODULES: '0' })).toEqual([]);
  });
});
