import { DateTime } from 'luxon';
import { GazetteError } from '../../errors.ts';

/** A little slack so that "now" typed by a person is not refused as past. */
const PAST_SLACK_MS = 5_000;

/** Formats an instant for people in `zone`, e.g. `2026-12-01 09:00:00 Asia/Seoul`. */
export function formatInstant(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone }).toFormat('yyyy-LL-dd HH:mm:ss')} ${zone}`;
}

/** Formats an instant to the minute in `zone`, e.g. `2021-12-01 09:00 Asia/Seoul` (for questions). */
export function formatMinute(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone }).toFormat('yyyy-LL-dd HH:mm')} ${zone}`;
}

/**
 * Reads `--at` as an instant (ms since epoch, UTC). ISO-8601 with an offset or `Z` means what it
 * says; without one it is read in `zone` (TZ_DEFAULT). Undefined means now. Throws GazetteError
 * for text that is not a time and for a time in the past.
 */
export function parseSendTime(text: string | undefined, zone: string, now: number): number {
  if (text === undefined) return now;
  const parsed = DateTime.fromISO(text.trim(), { zone });
  if (!parsed.isValid) {
    throw new GazetteError(
      `--at "${text}" is not a time Gazette can read; use ISO-8601 such as 2026-12-01T09:00 (read in ${zone}) or 2026-12-01T09:00+09:00.`,
      { code: 'E_AT', params: { at: text, zone } },
    );
  }
  const at = parsed.toMillis();
  if (at < now - PAST_SLACK_MS) {
    throw new GazetteError(
      `--at ${formatInstant(at, zone)} is in the past (it is now ${formatInstant(now, zone)}); give a later time, or leave --at out to send now.`,
      { code: 'E_AT_PAST', params: { at: formatInstant(at, zone), now: formatInstant(now, zone) } },
    );
  }
  return Math.max(at, now);
}
