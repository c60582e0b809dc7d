import { nextClockOffset } from './clock-offset';

describe('nextClockOffset', () => {
  const serverNow = Date.UTC(2026, 10, 22, 12, 0, 0);
  const date = new Date(serverNow).toUTCString();

  it('keeps a zero offset when the local clock agrees with the Date header to its resolution', () => {
    expect(nextClockOffset(date, serverNow + 100, serverNow + 300, 0)).toBe(0);
    expect(nextClockOffset(date, serverNow - 200, serverNow + 50, 0)).toBe(0);
    expect(nextClockOffset(date, serverNow + 900, serverNow + 990, 0)).toBe(0);
  });

  it('learns the skew when the local clock is off by more than the header can blur', () => {
    // Client 10 s behind the server; request took 100 ms.
    const offset = nextClockOffset(date, serverNow - 10_000, serverNow - 9_900, 0);
    expect(offset).toBe(10_000 + 500 - 50);
    // Client 5 minutes ahead.
    const ahead = nextClockOffset(date, serverNow + 300_000, serverNow + 300_200, 0);
    expect(ahead).toBeCloseTo(-300_000 + 500 - 100, -1);
  });

  it('keeps a learnt offset while it stays consistent, re-learns when it is not', () => {
    const learnt = nextClockOffset(date, serverNow - 10_000, serverNow - 9_900, 0);
    // Next response: the corrected window lies inside the reported second.
    const later = serverNow + 60_000;
    const laterDate = new Date(later).toUTCString();
    expect(nextClockOffset(laterDate, later - 10_000, later - 9_900, learnt)).toBe(learnt);
    // The client clock was fixed (NTP): the offset goes back to about zero.
    expect(Math.abs(nextClockOffset(laterDate, later + 100, later + 200, learnt))).toBeLessThan(1000);
  });

  it('ignores missing, unparsable, oversized headers and impossible windows', () => {
    expect(nextClockOffset(null, 0, 1, 42)).toBe(42);
    expect(nextClockOffset(undefined, 0, 1, 42)).toBe(42);
    expect(nextClockOffset('not a date', 0, 1, 42)).toBe(42);
    expect(nextClockOffset(`${date}${' '.repeat(100)}`, 0, 1, 42)).toBe(42);
    expect(nextClockOffset(date, 10, 5, 42)).toBe(42);
    expect(nextClockOffset(date, Number.NaN, 5, 42)).toBe(42);
  });
});
