/** Asia/Seoul's offset from UTC in seconds: +09:00, without daylight saving since 1988. */
export const SEOUL_OFFSET_S = 9 * 3600;

/**
 * A `datetime-local` value read in Asia/Seoul ("2021-12-01T09:00") as an ISO instant with its offset.
 * Seoul has kept +09:00 without daylight saving since 1988, so the offset is fixed.
 */
export function seoulToIso(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}+09:00`;
}

/** An instant as a `datetime-local` value in Asia/Seoul ("2021-12-01T09:00"), the inverse of seoulToIso. */
export function isoToSeoul(iso: string): string {
  return new Date(Date.parse(iso) + SEOUL_OFFSET_S * 1000).toISOString().slice(0, 16);
}
