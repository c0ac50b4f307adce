/** A hand-made 24-hour monitoring view, as the workflow would leave it, for the report tests. */
import type { CheckpointRow, MonitoringView } from '../../domain/monitoring-model';
import type { RecordedApproval } from '../../domain/cutover-model';

const H = 3_600_000;
const M = 60_000;
const START = Date.parse('2025-12-27T09:00:00Z');
const iso = (offsetMs: number) => new Date(START + offsetMs).toISOString();
const label = (ms: number) => `Hour ${Number.isInteger(ms / H) ? ms / H : (ms / H).toFixed(2)}`;

/** Checkpoints at 30m, 1h, 2h, 8h, 23h30 and 24h: latency climbs a little, memory drifts up. */
export const rows: CheckpointRow[] = [
  [30 * M, 10, 0, 60],
  [H, 12, 0, 62],
  [2 * H, 14, 0.2, 63],
  [8 * H, 15, 0, 64],
  [23.5 * H, 17, 0, 66],
  [24 * H, 19, 0, 68],
].map(([offsetMs, latencyMs, errorRatePct, memoryMb]) => ({
  at: iso(offsetMs),
  offsetMs,
  label: label(offsetMs),
  latencyMs,
  errorRatePct,
  memoryMb,
  cpuPct: 3,
  status: 'PASS' as const,
}));

const vote = (
  gate: string,
  role: string,
  approver: string,
  offsetMs: number,
  extra: Partial<RecordedApproval> = {},
): RecordedApproval => ({ gate, role, approver, decision: 'GO', at: iso(offsetMs), via: 'update', ...extra });

export function completedView(): MonitoringView {
  return {
    cutoverId: 'cutover-demo-20251227',
    status: 'COMPLETED',
    message: '24-hour monitoring complete, uptime 100%',
    elapsedMs: 24 * H,
    durationMs: 24 * H,
    uptimePct: 100,
    runs: 2,
    rows: rows.map((r) => ({ ...r })),
    decisions: [
      {
        label: 'Hour 1 decision point',
        offsetMs: H,
        openedAt: iso(H),
        decidedAt: iso(H + 5 * M),
        outcome: 'continue',
        via: 'votes',
        roles: ['engineering'],
      },
      {
        label: 'Hour 8 decision point',
        offsetMs: 8 * H,
        openedAt: iso(8 * H),
        decidedAt: iso(10 * H),
        outcome: 'continue',
        via: 'timeout-default',
        roles: ['engineering'],
      },
      {
        label: 'Hour 24 final sign-off',
        offsetMs: 24 * H,
        openedAt: iso(24 * H),
        decidedAt: iso(24 * H + 20 * M),
        outcome: 'continue',
        via: 'votes',
        roles: ['engineering', 'operations', 'dataQuality'],
      },
    ],
    votes: [
      vote('Hour 1 decision point', 'engineering', 'alice', H + 5 * M, { comment: 'hour 1 looks clean' }),
      vote('Hour 8 decision point', '(timeout)', 'timeout-default', 10 * H, { via: 'timeout-default' }),
      vote('Hour 24 final sign-off', 'engineering', 'alice', 24 * H + 5 * M),
      vote('Hour 24 final sign-off', 'operations', 'bob', 24 * H + 10 * M),
      vote('Hour 24 final sign-off', 'dataQuality', 'carol', 24 * H + 20 * M, { comment: 'KPIs match week 3' }),
    ],
    rejectedVotes: [],
    warnings: [],
    report: undefined,
  };
}

/** The sentinel caught a 50% error rate at 3h02 and the rollback to V1 succeeded. */
export function rolledBackView(): MonitoringView {
  const v = completedView();
  const failed: CheckpointRow = {
    at: iso(3 * H),
    offsetMs: 3 * H,
    label: 'Hour 3',
    latencyMs: 40,
    errorRatePct: 48.5,
    memoryMb: 70,
    cpuPct: 9,
    status: 'FAIL',
    note: 'error_handling: 5xx | rising',
  };
  return {
    ...v,
    status: 'ROLLED_BACK',
    message: 'Hour 3.03 sentinel: error rate 50.000% over 5%: immediate rollback; rollback ROLLED_BACK: V1 serving',
    elapsedMs: 3 * H + 2 * M,
    uptimePct: 98.9,
    rows: [...v.rows.slice(0, 3), failed],
    decisions: v.decisions.slice(0, 1),
    votes: v.votes.slice(0, 1),
    rollback: {
      workflowId: 'cutover-demo-20251227-rollback',
      reason: 'Hour 3.03 sentinel: error rate 50.000% over 5%: immediate rollback',
      startedOffsetMs: 3 * H + 2 * M,
      status: 'ROLLED_BACK',
      durationMs: 40_000,
      message: 'V1 serving',
    },
  };
}
