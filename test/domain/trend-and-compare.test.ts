import { addPoint, effectiveWarmupMs, slopePerHour, trendProblems, type TrendState } from '../../domain/trend';
import { compareValues, flattenNumbers, pathIgnored } from '../../domain/value-compare';
import { trendSchema } from '../../domain/check-schema';
import { celProblem, evaluate, toCel } from '../../activities/checks/cel';

const min = 60_000;
const spec = (over: Record<string, unknown>) => trendSchema.parse(over);
const feed = (s: ReturnType<typeof spec>, values: number[], everyMs: number, warmupMs: number): TrendState =>
  values.reduce<TrendState>((state, value, i) => addPoint(state, { offsetMs: (i + 1) * everyMs, value }, warmupMs), { points: [] });

describe('trends', () => {
  test('the reference waits for the warm-up, but never past the first checkpoint of a shorter plan', () => {
    expect(effectiveWarmupMs(spec({}), 24 * 60 * min, 30 * min)).toBe(60 * min);
    expect(effectiveWarmupMs(spec({}), 20 * min, 5 * min)).toBe(5 * min);
    expect(effectiveWarmupMs(spec({ warmup: '10m' }), 20 * min, 5 * min)).toBe(10 * min);
  });

  test('a drift beyond the band from the reference is flagged, in a 20-minute plan too', () => {
    const s = spec({ maxDrift: 0.1 });
    const state = feed(s, [100, 102, 101, 125], 5 * min, effectiveWarmupMs(s, 20 * min, 5 * min));
    expect(state.reference).toEqual({ offsetMs: 5 * min, value: 100 });
    expect(trendProblems(s, state)).toEqual([expect.stringMatching(/^125 is 25\.0% from the reference 100 taken at 5 min/)]);
  });

  test('a steady climb is flagged before it crosses the band; noise and a single jump are not', () => {
    const s = spec({ maxDrift: 0.5, maxRisePerHour: 50, minPoints: 4 });
    const climbing = feed(s, [100, 104, 109, 113, 118], min, 0); // ~270 MB/h, only +18%
    expect(trendProblems(s, climbing)).toEqual([expect.stringMatching(/^climbing 2\d\d\/h over the last 5 readings \(4 of 4 steps up; limit 50\.0\/h\)/)]);
    expect(trendProblems(s, feed(s, [100, 103, 99, 104, 100, 102], min, 0))).toEqual([]);
    expect(slopePerHour([{ offsetMs: 0, value: 1 }, { offsetMs: 3_600_000, value: 3 }])).toBeCloseTo(2);
  });
});

describe('compare mode', () => {
  test('rows become keyed by their text columns, numeric strings are numbers', () => {
    const rows = [{ segment: 'retail', region: 'north', outstanding: '1200.50', loans: 3 }, { segment: 'sme', region: 'north', outstanding: 800, loans: 1 }];
    expect(flattenNumbers(rows)).toEqual({ 'retail/north.outstanding': 1200.5, 'retail/north.loans': 3, 'sme/north.outstanding': 800, 'sme/north.loans': 1 });
    expect(flattenNumbers(42)).toEqual({ value: 42 });
  });

  test('each field passes within the relative OR the absolute tolerance; a lost group fails; a new one does not', () => {
    const c = compareValues({ a: 100, b: 0, 'g.x': 5 }, { a: 100.05, b: 0.001, c: 1 }, { relative: 0.001, absolute: 0.01 });
    expect(c).toMatchObject({ ok: false, compared: 2, missing: ['g.x'], extra: ['c'] });
    expect(c.deviations.every((d) => d.ok)).toBe(true);
    expect(pathIgnored('byRegion.east.revenue', ['byRegion.*.revenue'])).toBe(true);
    expect(pathIgnored('byRegion.east', ['byRegion.east'])).toBe(true);
    expect(pathIgnored('byRegion.eastern', ['byRegion.east'])).toBe(false);
  });
});

describe('CEL', () => {
  test('JSON numbers work in mixed arithmetic, list sizes and indexes', () => {
    const vars = { result: toCel({ value: 0.5, seqs: [1, 2, 4] }) };
    expect(evaluate('result.value * 2 + 1', vars)).toEqual({ ok: true, value: 2 });
    expect(evaluate('result.seqs[size(result.seqs) - 1] - result.seqs[0] + 1 != size(result.seqs)', vars)).toEqual({ ok: true, value: true });
  });

  test('hostile or broken expressions are refused at plan check, with the place marked', () => {
    expect(celProblem('result.value >')).toMatch(/Unexpected token: EOF/);
    expect(celProblem('(' .repeat(200) + '1' + ')'.repeat(200))).toMatch(/depth|nest/i);
    expect(celProblem('process.exit(1)')).toBeUndefined(); // parses: but there is no such function to call
    expect(evaluate('process.exit(1)', {})).toMatchObject({ ok: false });
  });
});
