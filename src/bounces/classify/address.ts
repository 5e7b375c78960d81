/** An e-mail address inside free text: a local part, `@`, and a domain with at least one dot. */
export const ADDRESS_IN_TEXT = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

// No white space, control characters or delimiters: the result is printed and stored as it is.
const WHOLE_ADDRESS = /^[^\s\p{Cc}@<>()",;:]+@[^\s\p{Cc}@<>()",;:]+\.[^\s\p{Cc}@<>()",;:]+$/u;

/**
 * Cleans a recipient as bounces write it (`rfc822; <Alice@Example.NET>`, `"alice@example.net":`) into
 * `Alice@example.net`: the domain lower-cased, the local part kept (it may be case-sensitive).
 * Returns '' when what is left is not an address.
 */
export function normalizeAddress(value: string): string {
  let v = value.trim();
  // RFC 3464 address-type prefix, e.g. "rfc822;" or "utf-8;" (RFC 6533).
  v = v.replace(/^[A-Za-z0-9-]+\s*;\s*/, '');
  v = v.replace(/^[<"'(\s]+|[>"'):;.,\s]+$/g, '');
  if (v.toLowerCase().startsWith('mailto:')) v = v.slice(7);
  if (!WHOLE_ADDRESS.test(v)) return '';
  const at = v.lastIndexOf('@');
  return `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}`;
}
