/** The zone the desk shows and reads times in (TZ_DEFAULT; the desk's audience is Seoul's). */
export const DESK_ZONE = 'Asia/Seoul';

/** One formatter per locale and kind: building an Intl formatter costs far more than using one (a list of 500 rows). */
function cached<T>(make: (locale: string) => T): (locale: string) => T {
  const made = new Map<string, T>();
  return (locale) => {
    const found = made.get(locale);
    if (found) return found;
    const f = make(locale);
    made.set(locale, f);
    return f;
  };
}

const timeFormat = cached(
  (locale) =>
    new Intl.DateTimeFormat(locale, { timeZone: DESK_ZONE, dateStyle: 'medium', timeStyle: 'short' }),
);
const countFormat = cached((locale) => new Intl.NumberFormat(locale));
const shareFormat = cached(
  (locale) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
);

/** An instant as the desk shows it: date and time in Asia/Seoul, in the UI's language. */
export function formatTime(iso: string | number, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return timeFormat(locale).format(d);
}

/** A count with the UI language's grouping, e.g. 19,342. */
export function formatCount(n: number, locale: string): string {
  return countFormat(locale).format(n);
}

/** A share as a percentage with one decimal, e.g. 12.5 %. */
export function formatShare(share: number, locale: string): string {
  return shareFormat(locale).format(share);
}
