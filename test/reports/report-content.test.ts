/** The report's content from a hand-made view: figures, trends, decisions, sign-offs and the verdict. */
import { buildReport, READY } from '../../activities/reports/report-content';
import { renderMarkdown } from '../../activities/reports/report-markdown';
import type { MonitoringView } from '../../domain/monitoring-model';
import { completedView, rolledBackView } from './view-fixture';

const H = 3_600_000;

describe('a completed 24-hour monitoring', () => {
  const report = buildReport('demo', completedView());
  const md = renderMarkdown(report, [{ title: 'Latency', file: 'x-latency.svg' }]);

  test('uptime and the error count (failed validations and error-rate samples)', () => {
    expect(report).toMatchObject({
      uptimePct: 100,
      checkpoints: 6,
      errorCount: 1,
      errors: { failedValidations: 0, errorRateSamples: 1, samples: 6, peakErrorRatePct: 0.2 },
    });
    expect(md).toContain('- Uptime: **100%**');
    expect(md).toContain('failed validations 0 of 6, error-rate samples above 0% 1 of 6 (peak 0.2%)');
  });

  test('trends compare the first hour (30m, 1h) with the last hour (23h30, 24h)', () => {
    expect(report.trends.latencyMs).toEqual({ firstHour: 11, lastHour: 18, changePct: 63.6 });
    expect(report.trends.memoryMb).toEqual({ firstHour: 61, lastHour: 67, changePct: 9.8 });
    // A first hour of 0% errors has no meaningful relative change.
    expect(report.trends.errorRatePct).toEqual({ firstHour: 0, lastHour: 0, changePct: undefined });
    expect(md).toContain('- Latency (first hour → last hour): 11 ms → 18 ms (+63.6%)');
    expect(md).toContain('- Memory (first hour → last hour): 61 MB → 67 MB (+9.8%)');
  });

  test('every checkpoint row is in the table', () => {
    const tableRows = md.split('\n').filter((l) => /^\| Hour /.test(l));
    expect(tableRows.map((l) => l.split(' (')[0])).toEqual([
      '| Hour 0.50',
      '| Hour 1',
      '| Hour 2',
      '| Hour 8',
      '| Hour 23.50',
      '| Hour 24',
    ]);
    expect(tableRows[2]).toBe('| Hour 2 (2025-12-27T11:00:00.000Z) | 14.0 | 0.2 | 63 | 3 | PASS |  |');
  });

  test('every decision says who decided and when, a timeout says it was the plan default', () => {
    expect(report.decisions.map((d) => [d.label, d.votes.map((v) => v.approver)])).toEqual([
      ['Hour 1 decision point', ['alice']],
      ['Hour 8 decision point', ['timeout-default']],
      ['Hour 24 final sign-off', ['alice', 'bob', 'carol']],
    ]);
    expect(md).toContain(
      '- **Hour 1 decision point** (Hour 1): continue (votes), opened ' +
        '2025-12-27T10:00:00.000Z, decided 2025-12-27T10:05:00.000Z',
    );
    expect(md).toContain('  - GO engineering by alice at 2025-12-27T10:05:00.000Z (update) — "hour 1 looks clean"');
    expect(md).toContain('  - no vote in time: plan default GO at 2025-12-27T19:00:00.000Z');
  });

  test('sign-offs by role with name and time, and the verdict', () => {
    expect(report.signOffs).toEqual([
      { role: 'engineering', approver: 'alice', decision: 'GO', at: '2025-12-28T09:05:00.000Z' },
      { role: 'operations', approver: 'bob', decision: 'GO', at: '2025-12-28T09:10:00.000Z' },
      { role: 'dataQuality', approver: 'carol', decision: 'GO', at: '2025-12-28T09:20:00.000Z' },
    ]);
    expect(md).toContain('| operations | bob | GO | 2025-12-28T09:10:00.000Z |');
    expect(report.verdict).toEqual({ ready: true, text: READY });
    expect(md).toMatch(/^# 24-Hour Cutover Complete ✓ — demo\n/);
    expect(md).toContain('**Status: All criteria met**');
    expect(md).toContain('**System ready for steady-state operations**');
    expect(md).toContain('![Latency](x-latency.svg)');
  });
});

test('a missing sign-off and a NO_GO (the latest vote of a role counts) keep it from being ready', () => {
  const view = completedView();
  view.votes = view.votes.filter((v) => v.role !== 'operations');
  view.votes.push({ ...view.votes.at(-1)!, decision: 'NO_GO', approver: 'dave', at: '2025-12-28T09:30:00.000Z' });
  const report = buildReport('demo', view);
  expect(report.signOffs.map((s) => [s.role, s.approver, s.decision])).toEqual([
    ['engineering', 'alice', 'GO'],
    ['operations', undefined, undefined],
    ['dataQuality', 'dave', 'NO_GO'],
  ]);
  expect(report.verdict).toEqual({
    ready: false,
    text: 'Not ready for steady-state operations: NO_GO from dataQuality ' + '(dave); no sign-off from operations',
  });
  expect(renderMarkdown(report)).toContain('| operations | _missing_ |  |  |');
});

test('while the final sign-off is open, the signed roles show and the verdict says monitoring still runs', () => {
  const done = completedView();
  const view: MonitoringView = {
    ...done,
    status: 'AWAITING_DECISION',
    message: 'Hour 24: PASS',
    decisions: done.decisions.slice(0, 2),
    votes: done.votes.slice(0, 3),
    openDecision: {
      label: 'Hour 24 final sign-off',
      roles: ['engineering', 'operations', 'dataQuality'],
      deadlineOffsetMs: 28 * H,
    },
  };
  const report = buildReport('demo', view);
  expect(report.signOffs.map((s) => s.approver)).toEqual(['alice', undefined, undefined]);
  expect(report.verdict.text).toBe(
    'Not ready for steady-state operations: monitoring still ' +
      'running (24 h so far); no sign-off from operations, dataQuality',
  );
});

test('a rollback: the failed validation is counted, the rollback and what is missing are said', () => {
  const report = buildReport('demo', rolledBackView());
  expect(report).toMatchObject({
    status: 'ROLLED_BACK',
    uptimePct: 98.9,
    errorCount: 2,
    errors: { failedValidations: 1, errorRateSamples: 2, samples: 4, peakErrorRatePct: 48.5 },
  });
  expect(report.signOffs.every((s) => s.approver === undefined)).toBe(true);
  expect(report.verdict.ready).toBe(false);
  expect(report.verdict.text).toBe(
    'Not ready for steady-state operations: rolled back to V1 (Hour ' +
      '3.03 sentinel: error rate 50.000% over 5%: immediate rollback); ' +
      '1 failed validation(s); no sign-off from engineering, ' +
      'operations, dataQuality',
  );
  const md = renderMarkdown(report);
  expect(md).toMatch(/^# Monitoring ended: ROLLED_BACK after 3 h of 24 h — demo\n/);
  expect(md).toContain('- Rollback `cutover-demo-20251227-rollback`: ROLLED_BACK — Hour 3.03 sentinel');
  // A pipe in a note would split the Markdown table cell.
  expect(md).toContain(
    '| Hour 3 (2025-12-27T12:00:00.000Z) | 40.0 | 48.5 | 70 | 9 | ' + 'FAIL | error_handling: 5xx / rising |',
  );
  expect(md).not.toContain('System ready');
});

test(
  "the sign-offs are the plan's own final decision point, even " +
    'one before the end; a plan without any asks for none',
  () => {
    const done = completedView();
    // a 30-minute plan whose only decision point, at 20 min, was approved by engineering
    const view: MonitoringView = {
      ...done,
      durationMs: 30 * 60_000,
      elapsedMs: 30 * 60_000,
      decisions: [
        {
          label: 'Go-live check',
          offsetMs: 20 * 60_000,
          openedAt: done.decisions[0].openedAt,
          decidedAt: done.decisions[0].decidedAt,
          outcome: 'continue',
          via: 'votes',
          roles: ['engineering'],
        },
      ],
      votes: [{ ...done.votes[0], gate: 'Go-live check', role: 'engineering', approver: 'alice', decision: 'GO' }],
    };
    const report = buildReport('demo', view, { label: 'Go-live check', roles: ['engineering'] });
    expect(report.signOffs).toEqual([{ role: 'engineering', approver: 'alice', decision: 'GO', at: view.votes[0].at }]);
    expect(report.verdict.text).not.toMatch(/no sign-off/);
    // without the plan, the roles of the seed's 24-hour sign-off were asked for
    expect(buildReport('demo', view).verdict.text).toMatch(/no sign-off from engineering, operations, dataQuality/);
    expect(buildReport('demo', { ...view, decisions: [], votes: [] }, null).signOffs).toEqual([]);
  },
);
