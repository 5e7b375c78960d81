import { DateTime } from 'luxon';
import { GazetteError } from '../errors.ts';

const SPAN = /^(\d{1,4})\s*([dhm])$/i;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

/**
 * Reads `--since`: ISO-8601 (without an offset, read in `zone`) or a span back from now such as `7d`,
 * `12h` or `30m`. Throws GazetteError with an example for anything else.
 */
export function parseSince(text: string, zone: string, now: number): number {
  const span = SPAN.exec(text.trim());
  if (span) return now - Number(span[1]) * (UNIT_MS[(span[2] as string).toLowerCase()] as number);
  const parsed = DateTime.fromISO(text.trim(), { zone });
  if (!parsed.isValid) {
    throw new GazetteError(
      `--since "${text}" is not a time Gazette can read; use ISO-8601 such as 2026-05-01 or 2026-05-01T09:00+09:00 (read in ${zone}), or a span such as 7d or 12h.`,
      { code: 'E_USAGE' },
    );
  }
  return parsed.toMillis();
}
