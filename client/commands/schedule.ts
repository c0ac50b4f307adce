/**
 * `cutover schedule create|list|pause|resume|trigger|delete|describe`: steady-state validation as
 * a Temporal Schedule that starts validationWorkflow every N hours. The server keeps the timer,
 * so it survives worker restarts and shows in the UI; overlap SKIP means a slow run is never
 * doubled up by the next tick. The same is doable with `temporal schedule` (docs/operations/schedules.md).
 */
import path from 'node:path';
import os from 'node:os';
import type { Command } from 'commander';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptions,
  type ScheduleSummary,
} from '@temporalio/client';
import { TASK_QUEUE } from '../../domain/names';
import { DURATION_PATTERN, parseDuration } from '../../domain/duration';
import { statusKey } from '../../domain/search-attributes';
import { checkPlanFile } from './plan';
import { withClient } from '../with-client';
import { CliError, EXIT } from '../exit-codes';

const me = () => process.env.USER ?? os.userInfo().username;

export interface CreateOptions {
  every: string;
  id?: string;
  target?: string;
  paused?: boolean;
  note?: string;
}

/** A typo must not become a schedule: exit 2 naming the flag and an example. */
export function parseEvery(every: string): number {
  const ms = DURATION_PATTERN.test(every.trim()) ? parseDuration(every) : 0;
  if (ms < 1_000)
    throw new CliError(
      `--every must be a duration of at least 1s, a number and a unit ` +
        `(ms, s, m, h, d), e.g. --every 4h; got "${every}"`,
      EXIT.BAD_INPUT,
    );
  return ms;
}

/** 14400000 → "4h": the largest unit that divides exactly, as people write intervals. */
export function formatEvery(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Everything checked (interval, target, plan) before anything connects. */
export async function scheduleOptions(file: string, opts: CreateOptions): Promise<ScheduleOptions> {
  const every = parseEvery(opts.every);
  const target = opts.target ?? 'v2';
  if (target !== 'v1' && target !== 'v2')
    throw new CliError(`--target must be v1 or v2, not "${target}"`, EXIT.BAD_INPUT);
  const loaded = await checkPlanFile(file);
  const scheduleId = opts.id ?? `validation-${loaded.plan.name}`;
  const plan = path.resolve(file);
  const service = loaded.plan.services[target].name;
  return {
    scheduleId,
    spec: { intervals: [{ every }] },
    // workflowId: the server names each run "<scheduleId>-<time>".
    action: {
      type: 'startWorkflow',
      workflowType: 'validationWorkflow',
      workflowId: scheduleId,
      taskQueue: TASK_QUEUE,
      args: [{ plan, target }],
      staticSummary: `Validation of ${service} (${target})`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    memo: { plan, target, createdBy: me() },
    state: {
      paused: !!opts.paused,
      note: opts.note ?? `validation of ${service} every ${formatEvery(every)}, created ` + `by ${me()}`,
    },
  };
}

export async function createSchedule(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning)
      throw new CliError(
        `schedule ${options.scheduleId} already exists: delete it first ` + `or give --id`,
        EXIT.BAD_INPUT,
      );
    throw err;
  }
}

/** PASS/WARN/FAIL of a finished run (its CutoverStatus), else its execution status (RUNNING, FAILED…). */
async function lastResult(client: Client, recent: ScheduleSummary['info']['recentActions']): Promise<string> {
  const last = recent.at(-1)?.action.workflow;
  if (!last) return '-';
  try {
    const run = await client.workflow.getHandle(last.workflowId, last.firstExecutionRunId).describe();
    const status = run.typedSearchAttributes.get(statusKey);
    return run.status.name === 'COMPLETED' && status
      ? `${status} (${last.workflowId})`
      : `${run.status.name} (${last.workflowId})`;
  } catch {
    return `? (${last.workflowId})`;
  }
}

const when = (d?: Date) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

export async function listSchedules(client: Client): Promise<string[][]> {
  const rows = [['ID', 'EVERY', 'PAUSED', 'NEXT RUN', 'LAST RESULT']];
  for await (const s of client.schedule.list()) {
    if (s.action?.workflowType !== 'validationWorkflow') continue;
    const every = (s.spec?.intervals ?? []).map((i) => formatEvery(Number(i.every))).join(',') || '-';
    rows.push([
      s.scheduleId,
      every,
      s.state.paused ? 'yes' : 'no',
      s.state.paused ? '-' : when(s.info.nextActionTimes[0]),
      await lastResult(client, s.info.recentActions),
    ]);
  }
  return rows;
}

/** Runs fn on the schedule's handle; an unknown id is the caller's mistake (exit 2), said plainly. */
async function onSchedule<T>(id: string, fn: (h: ScheduleHandle, client: Client) => Promise<T>): Promise<T> {
  return withClient(async (client) => {
    try {
      return await fn(client.schedule.getHandle(id), client);
    } catch (err) {
      if (err instanceof ScheduleNotFoundError)
        throw new CliError(`no schedule ${id}: see cutover schedule list`, EXIT.BAD_INPUT);
      throw err;
    }
  });
}

const table = (rows: string[][]) =>
  rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(Math.max(...rows.map((x) => x[i].length))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');

export function registerSchedule(program: Command) {
  const schedule = program
    .command('schedule')
    .description(
      'steady-state validation on a Temporal Schedule ' + '(validationWorkflow every N hours; never overlapping)',
    );
  schedule
    .command('create')
    .argument('<plan>', 'plan file (YAML or JSON)')
    .requiredOption('--every <duration>', 'interval, e.g. 4h, 30m')
    .option('--id <scheduleId>', 'schedule id (default: validation-<plan name>)')
    .option('--target <service>', 'which service to validate: v1 or v2', 'v2')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note kept on the schedule (default: what it validates and who created it)')
    .description('create a schedule that runs validationWorkflow every interval')
    .action(async (file: string, opts: CreateOptions) => {
      const options = await scheduleOptions(file, opts);
      await withClient((client) => createSchedule(client, options));
      const id = options.scheduleId;
      console.log(
        `created schedule ${id}: validationWorkflow every ${opts.every}` +
          `${opts.paused ? ' (paused)' : ''}\nrun it now: cutover schedule ` +
          `trigger ${id}`,
      );
    });
  schedule
    .command('list')
    .description('validation schedules: id, interval, paused, next run, last result')
    .action(async () => withClient(async (client) => console.log(table(await listSchedules(client)))));
  schedule
    .command('describe')
    .argument('<id>', 'schedule id')
    .description('a schedule in full: plan, interval, overlap, state, next runs, recent runs')
    .action(async (id: string) =>
      onSchedule(id, async (h, client) => {
        const d = await h.describe();
        const args = (d.action.args?.[0] ?? {}) as { plan?: unknown; target?: string };
        console.log(
          `schedule ${d.scheduleId}: ${d.action.workflowType} on ` +
            `${d.action.taskQueue}, plan ${String(args.plan)} (${args.target ?? 'v2'})`,
        );
        console.log(
          `every ${(d.spec.intervals ?? []).map((i) => formatEvery(Number(i.every))).join(', ')}; ` +
            `overlap ${d.policies.overlap}; ` +
            `${d.state.paused ? 'PAUSED' : 'active'}${d.state.note ? ` — ${d.state.note}` : ''}`,
        );
        console.log(
          `next runs: ${d.state.paused ? '-' : d.info.nextActionTimes.slice(0, 3).map(when).join(', ')}; ` +
            `${d.info.numActionsTaken} run(s) taken, ` +
            `${d.info.numActionsSkippedOverlap} skipped (overlap)`,
        );
        for (const a of d.info.recentActions) console.log(`  ${when(a.takenAt)}  ${await lastResult(client, [a])}`);
      }),
    );
  schedule
    .command('pause')
    .argument('<id>', 'schedule id')
    .option('--note <text>', 'why; shown with the schedule')
    .description('stop starting runs until resumed')
    .action(async (id: string, opts: { note?: string }) =>
      onSchedule(id, (h) => h.pause(opts.note ?? `paused by ${me()}`)).then(() => console.log(`paused ${id}`)),
    );
  const simple: Array<[string, string, string, (h: ScheduleHandle) => Promise<void>]> = [
    ['resume', 'resumed', 'start runs again on the interval', (h) => h.unpause(`resumed by ${me()}`)],
    // SKIP here too: a manual run never doubles up with one still going.
    [
      'trigger',
      'triggered',
      'run one validation now (skipped if one is still running)',
      (h) => h.trigger(ScheduleOverlapPolicy.SKIP),
    ],
    ['delete', 'deleted', 'delete the schedule (runs already started finish)', (h) => h.delete()],
  ];
  for (const [name, done, description, fn] of simple) {
    schedule
      .command(name)
      .argument('<id>', 'schedule id')
      .description(description)
      .action(async (id: string) => onSchedule(id, fn).then(() => console.log(`${done} ${id}`)));
  }
}
