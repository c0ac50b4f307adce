import { planSchema } from '../../domain/plan-schema';
import { decide } from '../../domain/decision-matrix';
import { cpuPct, windowErrorRate } from '../../domain/monitoring-figures';

const plan = { thresholds: planSchema.shape.thresholds.parse(undefined), monitoring: planSchema.shape.monitoring.parse(undefined) };

describe('the decision matrix', () => {
  test('an error rate over 5% rolls back at once, even on the first sample', () => {
    expect(decide({ healthy: true, errorRate: 0.051 }, {}, plan)).toEqual({ action: 'rollback', reasons: ['error rate 5.10% over 5%: immediate rollback'] });
  });
  test('a FAIL is re-run once, and a second FAIL rolls back or escalates as the plan says', () => {
    expect(decide({ healthy: true, validation: 'FAIL' }, {}, plan).action).toBe('retry');
    expect(decide({ healthy: true, validation: 'FAIL', retried: true }, {}, plan).action).toBe('rollback');
    const escalating = { ...plan, monitoring: { ...plan.monitoring, onRepeatedFail: 'escalate' as const } };
    expect(decide({ healthy: true, validation: 'FAIL', retried: true }, {}, escalating).action).toBe('escalate');
  });
  test('memory more than 10% from the hour-1 value, latency over 100 ms and errors over 0.1% warn', () => {
    const verdict = decide({ healthy: true, errorRate: 0.002, memoryMb: 112, avgLatencyMs: 140, validation: 'PASS' }, { hour1MemoryMb: 100 }, plan);
    expect(verdict.action).toBe('warn');
    expect(verdict.reasons).toEqual([
      'error rate 0.200% over 0.1%',
      'memory 112 MB is 12.0% from the hour-1 100 MB',
      'average latency 140 ms over 100 ms',
    ]);
  });
  test('a clean sample within every threshold is ok', () => {
    expect(decide({ healthy: true, errorRate: 0, memoryMb: 105, avgLatencyMs: 3, validation: 'PASS' }, { hour1MemoryMb: 100 }, plan)).toEqual({ action: 'ok', reasons: [] });
  });
});

describe('figures between two readings', () => {
  test('the error rate covers the window since the last reading, from the service counters', () => {
    expect(windowErrorRate({ requests: 100, errors: 1 }, { requests: 110, errors: 6, syntheticRequests: 5, syntheticErrors: 0 })).toBe(0.5);
  });
  test('a counter that went backwards means a restart: the window starts from zero', () => {
    expect(windowErrorRate({ requests: 100, errors: 1 }, { requests: 10, errors: 1, syntheticRequests: 5, syntheticErrors: 0 })).toBe(0.1);
  });
  test('without counters, the synthetic requests give the rate', () => {
    expect(windowErrorRate(undefined, { syntheticRequests: 4, syntheticErrors: 1 })).toBe(0.25);
    expect(windowErrorRate(undefined, { syntheticRequests: 0, syntheticErrors: 0 })).toBeUndefined();
  });
  test('CPU % is CPU seconds over wall seconds between readings', () => {
    expect(cpuPct({ seconds: 10, offsetMs: 0 }, 13, 60_000)).toBe(5);
    expect(cpuPct(undefined, 13, 60_000)).toBeNull();
  });
});
