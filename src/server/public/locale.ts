import { LOCALES, type Locale } from '../../issue/schema.ts';

/**
 * Picks the first supported locale from an explicit choice (e.g. `?lang=ko`) or an
 * Accept-Language header, in the header's order of preference; `fallback` when none matches.
 */
export function pickLocale(
  explicit: string | undefined,
  acceptLanguage: string | undefined,
  fallback: Locale,
): Locale {
  const supported = (tag: string | undefined) =>
    LOCALES.find((l) => l === tag?.trim().toLowerCase().split('-')[0]) ?? null;
  const chosen = supported(explicit);
  if (chosen) return chosen;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return fallback;
}
