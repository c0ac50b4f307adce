import { planSchema } from '../../domain/plan-schema';
import { checkpointReportName, nextDue, timetable, type DueEvent } from '../../domain/monitoring-schedule';

const H = 3_600_000;
const M = 60_000;
const defaults = planSchema.shape.monitoring.parse(undefined);

function walk(until = Infinity): DueEvent[] {
  const table = timetable(defaults);
  const events: DueEvent[] = [];
  for (let e = nextDue(table, 0); e && e.at <= until; e = nextDue(table, e.at)) events.push(e);
  return events;
}

describe('the monitoring timetable', () => {
  test('the seed cadence validates every 30 minutes to hour 8, then every 2 hours to hour 24', () => {
    const table = timetable(defaults);
    expect(table.validations.map((t) => t / M)).toEqual([
      30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360, 390, 420, 450, 480, 600, 720, 840, 960, 1080, 1200, 1320,
      1440,
    ]);
    expect(table.summaries.map((t) => t / H)).toEqual([4, 8, 12, 16, 20, 24]);
    expect(table.decisions.map((t) => t / H)).toEqual([1, 8, 24]);
  });

  test(
    'a sentinel probe runs every minute between validations, and a ' +
      'validation replaces the probe due at the same time',
    () => {
      const events = walk(31 * M);
      expect(events.map((e) => e.at / M)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
      expect(events[29]).toEqual({ at: 30 * M, kinds: ['validation'], decision: undefined });
      expect(events[0].kinds).toEqual(['sentinel']);
    },
  );

  test('hour 8 brings a validation, the 4-hourly summary and a decision point together', () => {
    const hour8 = walk(8 * H).at(-1)!;
    expect(hour8).toEqual({ at: 8 * H, kinds: ['validation', 'summary', 'decision'], decision: 1 });
  });

  test('nothing is due after the monitoring duration', () => {
    const table = timetable(defaults);
    expect(nextDue(table, 24 * H)).toBeUndefined();
    expect(walk().length).toBe(24 * 60);
  });
});

test('while a final sign-off is still open after the 24 hours, the sentinel keeps probing', () => {
  const table = timetable(defaults);
  expect(nextDue(table, 24 * H, 24 * H + 10 * M)).toEqual({ at: 24 * H + M, kinds: ['sentinel'], decision: undefined });
  expect(nextDue(table, 24 * H + 10 * M, 24 * H + 10 * M)).toBeUndefined();
});

test("a checkpoint's report is named by its offset: exact to the second, in time order, a re-run kept apart", () => {
  const names = [10_000, 2 * M, H, 8 * H + 30 * M + 5_000, 24 * H].map((ms) => checkpointReportName(ms));
  expect(names).toEqual([
    'checkpoint-00h00m10s',
    'checkpoint-00h02m00s',
    'checkpoint-01h00m00s',
    'checkpoint-08h30m05s',
    'checkpoint-24h00m00s',
  ]);
  expect([...names].sort()).toEqual(names);
  expect(checkpointReportName(H, true)).toBe('checkpoint-01h00m00s-rerun');
});
