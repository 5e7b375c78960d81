/**
 * The one way Gazette computes and writes a send's rates, so that `status`, `report`, the report page
 * and the desk give the same figures.
 */

/** Messages per second between two instants (ms); 0 before there is a span to divide by. */
export function averageRate(messages: number, fromMs: number | null, toMs: number | null): number {
  if (fromMs === null || toMs === null || toMs <= fromMs) return 0;
  return messages / ((toMs - fromMs) / 1000);
}

/**
 * The busiest minute's rate: each minute's deliveries over the seconds of that minute the send
 * actually spanned (between its first and last delivery), so that a 20-second send of 500 messages
 * peaks at 25 msg/s, not at 500/60. `minutes` are [unix seconds of the minute, deliveries].
 */
export function peakRate(minutes: [number, number][], firstMs: number | null, lastMs: number | null): number {
  let peak = 0;
  for (const [start, n] of minutes) {
    const from = Math.max(start * 1000, firstMs ?? start * 1000);
    const to = Math.min((start + 60) * 1000, lastMs ?? (start + 60) * 1000);
    // At least a second: a burst inside one second is that many messages per second.
    peak = Math.max(peak, n / Math.max(1, (to - from) / 1000));
  }
  return peak;
}

/** `26 msg/s`, `0.4 msg/s`: whole numbers from 10 up, one decimal below. */
export function formatRate(perSecond: number): string {
  return `${perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1)} msg/s`;
}
