import {
  addPoint,
  effectiveWarmupMs,
  slopePerHour,
  theilSen,
  trendProblems,
  type TrendState,
} from '../../domain/trend';
import { compareValues, describeValueComparison, flattenNumbers, pathIgnored } from '../../domain/value-compare';
import { trendSchema } from '../../domain/check-schema';
import { celProblem, evaluate, toCel } from '../../activities/checks/cel';

const min = 60_000;
const spec = (over: Record<string, unknown>) => trendSchema.parse(over);

/** Demo V2's resident memory (MB) every 5 s under steady load (20 requests/s), started just before: recorded here. */
const CLEAN_V2 = [
  110.9, 111.2, 111.3, 112.3, 101.7, 93.6, 94.1, 92.9, 93.1, 93.6, 93.8, 94, 94, 94.2, 94.2, 95.7, 94.3, 95.1, 95.5,
  96.1, 95.6, 96, 93.7, 93.3, 93.8, 94.2, 93.9, 94, 94.8, 94.4, 95.1, 95.2, 95, 95.3, 94.2, 95.8, 95.1, 95.5, 95, 97.1,
  97, 96.7, 97.5, 97.8, 97.4, 97.5, 97.6, 98.5, 98.5, 98.4, 99.3, 99.5, 99.4, 99.4, 99.5, 100.8, 100.1, 100.1, 100.6,
  100.8,
];
/**
 * The same, another start (bench/trend.ts --dump): past the warm-up the heap ramps from 96.6 to
 * 107 MB in 80 s, steadily, then a collection gives 5 MB back.
 */
const RAMPING_V2 = [
  110.4, 113, 115.6, 111.5, 111.7, 111.2, 111.3, 111.3, 111.7, 97.6, 98.4, 98.9, 99.2, 98.4, 99.9, 98.7, 99.2, 100.8,
  97.8, 96.9, 96.6, 98.1, 97.8, 98, 99.3, 98.6, 98.8, 100.2, 98.6, 100.7, 101, 102.7, 103.5, 103.9, 104.2, 104.5, 104.9,
  107, 102.1, 103.1, 103, 103.3, 104.8, 102.6, 103.1, 104.8, 105, 105.2,
];
const memory = spec({ warmup: '1h', maxDrift: 0.1, maxRisePerHour: 300, minPoints: 5 });
/** the problems after each reading, as the monitoring sees them one probe at a time */
const replay = (s: ReturnType<typeof spec>, values: number[], everyMs: number, warmupMs: number) => {
  let state: TrendState = { points: [] };
  return values.map((value, i) => {
    state = addPoint(state, { offsetMs: (i + 1) * everyMs, value }, warmupMs, s.minPoints);
    return trendProblems(s, state);
  });
};

describe('trends', () => {
  test(
    'the reference waits for the warm-up; a shorter plan waits for ' +
      'its first checkpoint and a quarter of its length',
    () => {
      expect(effectiveWarmupMs(spec({}), 24 * 60 * min, 30 * min)).toBe(60 * min);
      expect(effectiveWarmupMs(spec({}), 20 * min, 5 * min)).toBe(5 * min);
      expect(effectiveWarmupMs(spec({}), 20 * min, 1 * min)).toBe(5 * min);
      expect(effectiveWarmupMs(spec({ warmup: '10m' }), 20 * min, 5 * min)).toBe(10 * min);
    },
  );

  test("a clean V2's start-up (its recorded memory) never alarms once past a warm-up of 30 s or more", () => {
    for (const warmupMs of [30_000, 2 * min]) expect(replay(memory, CLEAN_V2, 5_000, warmupMs).flat()).toEqual([]);
    // what the rule this replaces saw: its first readings, all steps up, a least-squares climb over the 300/h limit
    expect(
      slopePerHour(CLEAN_V2.slice(0, 4).map((value, i) => ({ offsetMs: (i + 1) * 5_000, value }))),
    ).toBeGreaterThan(300);
  });

  test("a healthy heap's ramp between two collections is no climb: steady and fast, but smaller than minRise", () => {
    expect(replay(memory, RAMPING_V2, 5_000, 2 * min).flat()).toEqual([]);
    // the ramp alone passes the slope's confidence bound and the noise: only its size tells it from a leak
    const ramp = RAMPING_V2.slice(23, 35).map((value, i) => ({ offsetMs: (i + 24) * 5_000, value }));
    const fit = theilSen(ramp)!;
    expect(fit.lower).toBeGreaterThan(300);
    expect(fit.rise).toBeGreaterThan(3 * fit.noise);
    expect(trendProblems(spec({ ...memory, minRise: 2 }), { points: ramp, warmupMs: 0 })).toEqual([
      expect.stringMatching(/^climbing \d+\/h over the last 12 readings .*and at least 2\.00; limit 300\/h\)$/),
    ]);
    const leaking = RAMPING_V2.map((v, i) => (i < 24 ? v : v + (i - 23) * 5));
    const first = replay(memory, leaking, 5_000, 2 * min).findIndex((p) => p.length > 0);
    expect((first + 1) * 5_000 - 2 * min).toBeLessThanOrEqual(min);
  });

  test('a 1 MB/s leak on top of the same readings is flagged within a minute of the warm-up', () => {
    const leaking = CLEAN_V2.map((v, i) => (i < 24 ? v : v + (i - 23) * 5));
    const seen = replay(memory, leaking, 5_000, 2 * min);
    const first = seen.findIndex((p) => p.length > 0);
    expect(first).toBeGreaterThan(23);
    expect((first + 1) * 5_000 - 2 * min).toBeLessThanOrEqual(min);
    expect(seen[first].join()).toMatch(
      /^memory|^climbing \d+\/h over the last \d+ readings \(at least \d+\/h at 95% confidence; rise [\d.]+ against noise [\d.]+ and at least [\d.]+; limit 300\/h\)/,
    );
    expect(seen.slice(first).every((p) => p.length > 0)).toBe(true);
  });

  test(
    'drift is the median of the latest readings against the median ' +
      'after the warm-up, beyond the band and the noise',
    () => {
      const s = spec({ maxDrift: 0.1, minPoints: 3 });
      const warmupMs = effectiveWarmupMs(s, 20 * min, 5 * min);
      const state = [100, 102, 101, 99, 100, 101, 126, 125, 124].reduce<TrendState>(
        (st, value, i) => addPoint(st, { offsetMs: (i + 2) * 2.5 * min, value }, warmupMs, 3),
        { points: [] },
      );
      expect(state.reference).toEqual({ offsetMs: 10 * min, value: 101 });
      expect(trendProblems(s, state)).toEqual([
        expect.stringMatching(
          /^125 \(median of the last 3\) is 23\.8% from the reference 101 taken at 10 min \(band 10%, noise/,
        ),
      ]);
      // one GC spike is not a drift: the median of the latest readings does not move
      const spiked = [100, 102, 101, 99, 100, 101, 100, 135, 101].reduce<TrendState>(
        (st, value, i) => addPoint(st, { offsetMs: (i + 2) * 2.5 * min, value }, warmupMs, 3),
        { points: [] },
      );
      expect(trendProblems(s, spiked)).toEqual([]);
    },
  );

  test('a climb within the noise of noisy readings is not flagged; the same climb on quiet readings is', () => {
    const s = spec({ maxRisePerHour: 50, minPoints: 5 });
    const feed = (values: number[]) =>
      values.reduce<TrendState>((st, value, i) => addPoint(st, { offsetMs: (i + 1) * min, value }, 0, 5), {
        points: [],
      });
    // GC's saw: ±8 around a rise of 1.7 a minute
    expect(trendProblems(s, feed([100, 110, 95, 112, 98, 115, 101, 113, 104, 117]))).toEqual([]);
    const quiet = feed([100, 104, 109, 113, 118, 122, 127]);
    expect(trendProblems(s, quiet)).toEqual([expect.stringMatching(/^climbing 2\d\d\/h over the last 7 readings/)]);
    expect(theilSen(quiet.points)!.slope).toBeCloseTo(270, -1);
  });
});

describe('compare mode', () => {
  test('rows become keyed by their text columns, numeric strings are numbers', () => {
    const rows = [
      { segment: 'retail', region: 'north', outstanding: '1200.50', loans: 3 },
      { segment: 'sme', region: 'north', outstanding: 800, loans: 1 },
    ];
    expect(flattenNumbers(rows)).toEqual({
      'retail/north.outstanding': 1200.5,
      'retail/north.loans': 3,
      'sme/north.outstanding': 800,
      'sme/north.loans': 1,
    });
    expect(flattenNumbers(42)).toEqual({ value: 42 });
  });

  test(
    'each field passes within the relative OR the absolute ' + 'tolerance; a lost group fails; a new one does not',
    () => {
      const c = compareValues(
        { a: 100, b: 0, 'g.x': 5 },
        { a: 100.05, b: 0.001, c: 1 },
        { relative: 0.001, absolute: 0.01 },
      );
      expect(c).toMatchObject({ ok: false, compared: 2, missing: ['g.x'], extra: ['c'] });
      expect(c.deviations.every((d) => d.ok)).toBe(true);
      expect(pathIgnored('byRegion.east.revenue', ['byRegion.*.revenue'])).toBe(true);
      expect(pathIgnored('byRegion.east', ['byRegion.east'])).toBe(true);
      expect(pathIgnored('byRegion.eastern', ['byRegion.east'])).toBe(false);
    },
  );

  test('the total that moved is said before the breakdown groups that moved it, each level worst first', () => {
    const c = compareValues(
      { totalAmount: 259_500, 'byRegion.north.amount': 100_000, 'byRegion.east.amount': 50_000, 'byRegion.west.n': 9 },
      { totalAmount: 233_550, 'byRegion.north.amount': 90_000, 'byRegion.east.amount': 34_050, 'byRegion.west.n': 9 },
      { relative: 0.001, absolute: 0 },
    );
    expect(c.deviations.map((d) => [d.path, d.ok])).toEqual([
      ['totalAmount', false],
      ['byRegion.east.amount', false],
      ['byRegion.north.amount', false],
      ['byRegion.west.n', true],
    ]);
    expect(describeValueComparison(c)).toMatch(/^totalAmount off by 10\.000% \(259500 → 233550\), byRegion\.east/);
  });
});

describe('CEL', () => {
  test('JSON numbers work in mixed arithmetic, list sizes and indexes', () => {
    const vars = { result: toCel({ value: 0.5, seqs: [1, 2, 4] }) };
    expect(evaluate('result.value * 2 + 1', vars)).toEqual({ ok: true, value: 2 });
    expect(evaluate('result.seqs[size(result.seqs) - 1] - result.seqs[0] + 1 != size(result.seqs)', vars)).toEqual({
      ok: true,
      value: true,
    });
  });

  test('hostile or broken expressions are refused at plan check, with the place marked', () => {
    expect(celProblem('result.value >')).toMatch(/Unexpected token: EOF/);
    expect(celProblem('('.repeat(200) + '1' + ')'.repeat(200))).toMatch(/depth|nest/i);
    expect(celProblem('process.exit(1)')).toBeUndefined(); // parses: but there is no such function to call
    expect(evaluate('process.exit(1)', {})).toMatchObject({ ok: false });
  });
});
