/**
 * An e-mail address inside free text: a local part, `@`, and a domain with at least one dot. Linear
 * (issue 17): a match starts only where a local part can start (the lookbehind), so a long run of
 * local-part characters with no `@` is read once, not once per character; the parts are bounded by
 * RFC 5321's sizes (64-octet local part, 63-octet labels, 255-octet domain).
 */
export const ADDRESS_IN_TEXT =
  /(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,126}(?![A-Za-z0-9-])/;

// No white space, control characters or delimiters: the result is printed and stored as it is. The
// domain has a dot with a character on each side; the lookahead finds it in one pass (a `+\.+` pair
// would try each dot against the rest of the domain).
const WHOLE_ADDRESS =
  /^[^\s\p{Cc}@<>()",;:]+@(?=[^\s\p{Cc}@<>()",;:]+\.[^\s\p{Cc}@<>()",;:])[^\s\p{Cc}@<>()",;:]+$/u;

/** What a recipient as written may hold: an address (at most 254 characters) with its type and brackets. */
const MAX_WRITTEN = 512;

/**
 * Cleans a recipient as bounces write it (`rfc822; <Alice@Example.NET>`, `"alice@example.net":`) into
 * `Alice@example.net`: the domain lower-cased, the local part kept (it may be case-sensitive).
 * Returns '' when what is left is not an address, or what was given is too long to be one.
 */
export function normalizeAddress(value: string): string {
  let v = value.trim();
  if (v.length > MAX_WRITTEN) return '';
  // RFC 3464 address-type prefix, e.g. "rfc822;" or "utf-8;" (RFC 6533).
  v = v.replace(/^[A-Za-z0-9-]+\s*;\s*/, '');
  // The trailing run starts where the run starts (the lookbehind), so a long run is read once.
  v = v.replace(/^[<"'(\s]+|(?<![>"'):;.,\s])[>"'):;.,\s]+$/g, '');
  if (v.toLowerCase().startsWith('mailto:')) v = v.slice(7);
  if (!WHOLE_ADDRESS.test(v)) return '';
  const at = v.lastIndexOf('@');
  return `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
}

/** ADDRESS_IN_TEXT for every address in a text; compiled once (matchAll copies it), not once per call. */
export const ADDRESSES_IN_TEXT = new RegExp(ADDRESS_IN_TEXT.source, 'g');

/**
 * The addresses a recipient field holds, cleaned: the whole value when it is one address as bounces write it
 * (`rfc822; <a@b>`), else every address inside it (`Alice <a@b>`, `a@b, c@d`); [] when it holds none.
 */
export function addressesIn(value: string): string[] {
  const whole = normalizeAddress(value);
  if (whole) return [whole];
  return [...value.matchAll(ADDRESSES_IN_TEXT)].map((m) => normalizeAddress(m[0])).filter(Boolean);
}
