import { creditOutage, defaultNote, openWindow } from '../../domain/voting-window';

const MIN = 60_000;

describe('the voters get back the time an outage took', () => {
  test('an outage inside the window moves the deadline by the time since the workflow was last seen', () => {
    const window = openWindow(10 * MIN, 30 * MIN);
    expect(creditOutage(window, 15 * MIN, 22 * MIN)).toBe(7 * MIN);
    expect(window).toEqual({
      openedOffsetMs: 10 * MIN,
      deadlineOffsetMs: 47 * MIN,
      windowMs: 30 * MIN,
      extendedMs: 7 * MIN,
    });
  });

  test('time before the window opened is never given back', () => {
    const window = openWindow(10 * MIN, 30 * MIN);
    expect(creditOutage(window, 5 * MIN, 12 * MIN)).toBe(2 * MIN);
    expect(window.deadlineOffsetMs).toBe(42 * MIN);
    expect(creditOutage(window, 5 * MIN, 8 * MIN)).toBe(0);
    expect(window.extendedMs).toBe(2 * MIN);
  });

  test('two outages add up, and the default says what was given back', () => {
    const window = openWindow(0, 30 * MIN);
    creditOutage(window, MIN, 3 * MIN);
    creditOutage(window, 10 * MIN, 12 * MIN);
    expect(window.deadlineOffsetMs).toBe(34 * MIN);
    expect(defaultNote(window)).toBe('default after 30 min (+4 min given back for an outage), no vote');
    expect(defaultNote(openWindow(0, 5 * MIN))).toBe('default after 5 min, no vote');
  });
});
