/** The zone the desk shows and reads times in (TZ_DEFAULT; the desk's audience is Seoul's). */
export const DESK_ZONE = 'Asia/Seoul';

/** An instant as the desk shows it: date and time in Asia/Seoul, in the UI's language. */
export function formatTime(iso: string | number, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone: DESK_ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

/** A count with the UI language's grouping, e.g. 19,342. */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** A share as a percentage with one decimal, e.g. 12.5 %. */
export function formatShare(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}
