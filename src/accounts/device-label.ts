import Bowser from 'bowser';

/** A User-Agent past this length is cut before parsing: real ones are a few hundred characters. */
export const MAX_USER_AGENT = 512;

const major = (version: string | undefined) => version?.split('.')[0] ?? '';
const words = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ');

/**
 * A User-Agent header as a person reads it in a list of their sessions: "Chrome 131 · Windows 10",
 * "Safari 17 · iOS 17.4 · iPhone"; empty when the header says nothing recognisable. The header is
 * cut to MAX_USER_AGENT first (bowser's patterns then run on bounded text) and the label is plain
 * text, shown escaped like every other string of the desk.
 */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, MAX_USER_AGENT);
  if (ua.trim() === '') return '';
  const { browser, os, platform } = Bowser.parse(ua);
  const model = platform.type === 'desktop' ? undefined : platform.model;
  const system = words(os.name, os.versionName ?? (os.name === 'iOS' ? os.version : major(os.version)));
  const label = [words(browser.name, major(browser.version)), system, model].filter(Boolean).join(' · ');
  // Only printable characters, and a length any list can show.
  return label.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 80);
}
