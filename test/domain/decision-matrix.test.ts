import { planSchema } from '../../domain/plan-schema';
import { rollbackMatrix } from '../../domain/decision-matrix';
import {
  cpuPct,
  judgeErrorRate,
  wilsonLower,
  windowErrorRate,
  type CountedWindow,
} from '../../domain/monitoring-figures';

const plan = {
  thresholds: planSchema.shape.thresholds.parse(undefined),
  monitoring: planSchema.shape.monitoring.parse(undefined),
};

describe('the decision matrix', () => {
  test('an error rate over 5% rolls back at once, even on the first sample', () => {
    expect(rollbackMatrix({ healthy: true, errorRate: 0.051 }, {}, plan)).toEqual({
      action: 'rollback',
      reasons: ['error rate 5.10% over 5%: immediate rollback'],
    });
  });
  test('a FAIL is re-run once, and a second FAIL rolls back or escalates as the plan says', () => {
    expect(rollbackMatrix({ healthy: true, validation: 'FAIL' }, {}, plan).action).toBe('retry');
    expect(rollbackMatrix({ healthy: true, validation: 'FAIL', retried: true }, {}, plan).action).toBe('rollback');
    const escalating = { ...plan, monitoring: { ...plan.monitoring, onRepeatedFail: 'escalate' as const } };
    expect(rollbackMatrix({ healthy: true, validation: 'FAIL', retried: true }, {}, escalating).action).toBe(
      'escalate',
    );
  });
  test('memory more than 10% from the hour-1 value, latency over 100 ms and errors over 0.1% warn', () => {
    const verdict = rollbackMatrix(
      { healthy: true, errorRate: 0.002, memoryMb: 112, avgLatencyMs: 140, validation: 'PASS' },
      { hour1MemoryMb: 100 },
      plan,
    );
    expect(verdict.action).toBe('warn');
    expect(verdict.reasons).toEqual([
      'error rate 0.200% over 0.1%',
      'memory 112 MB is 12.0% from the hour-1 100 MB',
      'average latency 140 ms over 100 ms',
    ]);
  });
  test('a clean sample within every threshold is ok', () => {
    expect(
      rollbackMatrix(
        { healthy: true, errorRate: 0, memoryMb: 105, avgLatencyMs: 3, validation: 'PASS' },
        { hour1MemoryMb: 100 },
        plan,
      ),
    ).toEqual({ action: 'ok', reasons: [] });
  });
});

describe('figures between two readings', () => {
  test('the error rate covers the window since the last reading, from the service counters', () => {
    expect(
      windowErrorRate(
        { requests: 100, errors: 1 },
        { requests: 110, errors: 6, syntheticRequests: 5, syntheticErrors: 0 },
      ),
    ).toBe(0.5);
  });
  test('a counter that went backwards means a restart: the window starts from zero', () => {
    expect(
      windowErrorRate(
        { requests: 100, errors: 1 },
        { requests: 10, errors: 1, syntheticRequests: 5, syntheticErrors: 0 },
      ),
    ).toBe(0.1);
  });
  test('without counters, the synthetic requests give the rate', () => {
    expect(windowErrorRate(undefined, { syntheticRequests: 4, syntheticErrors: 1 })).toBe(0.25);
    expect(windowErrorRate(undefined, { syntheticRequests: 0, syntheticErrors: 0 })).toBeUndefined();
  });
  test('an inconclusive error rate over 5% warns with its count and never rolls back', () => {
    const verdict = rollbackMatrix(
      { healthy: true, errorRate: 0.2, errorRateBasis: '1 of 5 requests in 5 s', errorRateInconclusive: true },
      {},
      plan,
    );
    expect(verdict).toEqual({ action: 'warn', reasons: ['error rate 20.000% over 0.1% (1 of 5 requests in 5 s)'] });
  });
  test('CPU % is CPU seconds over wall seconds between readings', () => {
    expect(cpuPct({ seconds: 10, offsetMs: 0 }, 13, 60_000)).toBe(5);
    expect(cpuPct(undefined, 13, 60_000)).toBeNull();
  });
});

describe('the error rate the monitoring acts on', () => {
  const t = { errorRateRollback: 0.05, errorRateMinRequests: 100, errorRateWindowMs: 600_000 };
  /** one reading every 5 s of `requests` requests, `errorsAt(i)` of them failed */
  const readings = (n: number, requests: number, errorsAt: (i: number) => number): CountedWindow[] =>
    Array.from({ length: n }, (_, i) => ({
      offsetMs: (i + 1) * 5_000,
      sinceMs: i * 5_000,
      requests,
      errors: errorsAt(i),
    }));

  test('too few requests is inconclusive, with the count, even with no error at all', () => {
    const judged = judgeErrorRate(
      readings(4, 5, () => 0),
      20_000,
      t,
    );
    expect(judged).toMatchObject({
      rate: 0,
      requests: 20,
      errors: 0,
      inconclusive: 'inconclusive: 20 requests in 20 s (a rate needs 100)',
    });
  });
  test('6% of 100 requests or more is over the threshold: it decides', () => {
    // 6 errors in every 100 requests, 5 per reading: the window reaches back until it holds 100
    const judged = judgeErrorRate(
      readings(40, 5, (i) => (i % 10 === 0 || i % 10 === 5 || i % 10 === 7 ? 1 : 0)),
      200_000,
      t,
    )!;
    expect(judged.inconclusive).toBeUndefined();
    expect(judged.requests).toBeGreaterThanOrEqual(100);
    expect(judged.rate).toBeGreaterThan(0.05);
    expect(
      rollbackMatrix({ healthy: true, errorRate: judged.rate, errorRateBasis: judged.basis }, {}, plan).action,
    ).toBe('rollback');
  });
  test('0.5% over enough requests warns only', () => {
    const judged = judgeErrorRate(
      readings(40, 5, (i) => (i === 17 ? 1 : 0)),
      200_000,
      t,
    )!;
    expect(judged).toMatchObject({ requests: 200, errors: 1, rate: 0.005, inconclusive: undefined });
    expect(rollbackMatrix({ healthy: true, errorRate: judged.rate, errorRateBasis: judged.basis }, {}, plan)).toEqual({
      action: 'warn',
      reasons: ['error rate 0.500% over 0.1% (1 of 200 requests in 3.3 min)'],
    });
  });
  test('an outage rolls back before the minimum count is in: 2 of 5 is beyond doubt over 5%, 1 of 5 is not', () => {
    expect(wilsonLower(2, 5)).toBeGreaterThan(0.05);
    expect(wilsonLower(1, 5)).toBeLessThan(0.05);
    expect(
      judgeErrorRate(
        readings(3, 5, (i) => (i === 2 ? 2 : 0)),
        15_000,
        t,
      ),
    ).toMatchObject({ requests: 5, errors: 2, inconclusive: undefined, basis: '2 of 5 requests in 5 s' });
    expect(
      judgeErrorRate(
        readings(3, 5, (i) => (i === 2 ? 1 : 0)),
        15_000,
        t,
      )?.inconclusive,
    ).toMatch(/^inconclusive: 15 requests/);
  });
  test('readings older than the window are left out', () => {
    expect(
      judgeErrorRate(
        readings(3, 5, () => 1),
        700_000,
        t,
      ),
    ).toBeUndefined();
  });
});
