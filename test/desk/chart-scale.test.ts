import { describe, expect, it } from 'vitest';
import { niceCeiling, timeDomain, timeTicks } from '../../src/desk/web/report/chart-scale.ts';

/** Unix seconds of a wall-clock time in Seoul (+09:00). */
const seoul = (local: string) => Date.parse(`${local}+09:00`) / 1000;
const seoulClock = (t: number) =>
  new Date((t + 9 * 3600) * 1000).toISOString().slice(0, 16).replace('T', ' ');

describe('the timeline chart scale', () => {
  it('shows a one-minute send over ten minutes, so its point is not squeezed against an edge', () => {
    const at = seoul('2022-02-01T09:00:00');
    expect(timeDomain([at])).toEqual([at, at + 600]);
    expect(timeDomain([at, at + 3600])).toEqual([at, at + 3660]);
  });

  it('puts ticks on round minutes of the Seoul clock, at most as many as asked', () => {
    const from = seoul('2022-02-01T09:03:00');
    const { ticks, step } = timeTicks(from, from + 600, 6);
    expect(step).toBe(120);
    expect(ticks.map(seoulClock)).toEqual([
      '2022-02-01 09:04',
      '2022-02-01 09:06',
      '2022-02-01 09:08',
      '2022-02-01 09:10',
      '2022-02-01 09:12',
    ]);
  });

  it('puts day ticks on midnight in Seoul, not in UTC', () => {
    const from = seoul('2022-02-01T09:00:00');
    const { ticks, step } = timeTicks(from, from + 6 * 86_400, 8);
    expect(step).toBe(86_400);
    expect(ticks.map(seoulClock)[0]).toBe('2022-02-02 00:00');
    expect(ticks.length).toBeLessThanOrEqual(8);
  });

  it('tops the y axis at the count itself when small, else at 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 1, 3, 10, 11, 19_342, 50_001].map(niceCeiling)).toEqual([1, 1, 3, 10, 20, 20_000, 100_000]);
  });
});
