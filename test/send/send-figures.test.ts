import { describe, expect, it } from 'vitest';
import { averageRate, formatRate, peakRate } from '../../src/send/record/send-figures.ts';

describe('one set of figures', () => {
  it('a short send peaks at what it did in the seconds it ran, not its count over a whole minute', () => {
    // 500 messages between 10:00:05 and 10:00:25 (one minute bucket): 25 msg/s, both average and peak.
    const minute = Date.UTC(2026, 11, 1, 10, 0, 0) / 1000;
    const first = minute * 1000 + 5000;
    const last = minute * 1000 + 25_000;
    expect(averageRate(500, first, last)).toBe(25);
    expect(peakRate([[minute, 500]], first, last)).toBe(25);
  });

  it('a long send peaks at its busiest full minute, never below its average', () => {
    const m0 = Date.UTC(2026, 11, 1, 10, 0, 0) / 1000;
    const minutes: [number, number][] = [
      [m0, 600],
      [m0 + 60, 1800],
      [m0 + 120, 300],
    ];
    const first = m0 * 1000;
    const last = (m0 + 150) * 1000; // the last minute ran 30 s
    expect(peakRate(minutes, first, last)).toBe(30);
    expect(averageRate(2700, first, last)).toBe(18);
  });

  it('writes a rate the same way everywhere', () => {
    expect([formatRate(26.4), formatRate(0.35), formatRate(0)]).toEqual([
      '26 msg/s',
      '0.3 msg/s',
      '0.0 msg/s',
    ]);
    expect(averageRate(10, null, 5)).toBe(0);
  });
});
