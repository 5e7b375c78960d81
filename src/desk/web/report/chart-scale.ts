import { SEOUL_OFFSET_S } from '../seoul-time.ts';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** Tick steps a reader counts in: minutes, hours, days. */
const STEPS = [1, 2, 5, 10, 15, 30]
  .map((m) => m * MINUTE)
  .concat(
    [1, 2, 3, 6, 12].map((h) => h * HOUR),
    [1, 2, 7].map((d) => d * DAY),
  );

/** The time span a chart of per-minute counts shows: the minutes with data, and at least ten minutes. */
export function timeDomain(minutes: number[]): [number, number] {
  const from = Math.min(...minutes);
  const to = Math.max(...minutes) + MINUTE;
  return [from, Math.max(to, from + 10 * MINUTE)];
}

/**
 * Ticks for the time axis from `from` to `to` (unix seconds), at most `most` of them, on round
 * minutes, hours or days of Asia/Seoul's clock; `step` says how far apart they are.
 */
export function timeTicks(from: number, to: number, most: number): { ticks: number[]; step: number } {
  const step =
    STEPS.find((s) => (to - from) / s <= Math.max(1, most)) ?? Math.ceil((to - from) / most / DAY) * DAY;
  // Seoul's clock: shift into it, round up to the step, shift back.
  const first = Math.ceil((from + SEOUL_OFFSET_S) / step) * step - SEOUL_OFFSET_S;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

/** The y axis's top for counts up to `max`: max itself up to 10, else the next 1, 2 or 5 × 10ⁿ. */
export function niceCeiling(max: number): number {
  if (max <= 10) return Math.max(1, Math.ceil(max));
  const power = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max);
  return top ?? 10 * power;
}
