/**
 * The edition a reader gets (docs/architecture.md "Editions"): the one in their locale, else the
 * fallback when the send has it, else the default edition (the first). Pure, called per reader.
 */
export function editionFor<L extends string>(
  readerLocale: string | undefined,
  editions: readonly L[],
  fallback?: string,
): L {
  const own = editions.find((e) => e === readerLocale);
  if (own) return own;
  return editions.find((e) => e === fallback) ?? (editions[0] as L);
}
