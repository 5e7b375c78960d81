import { formatInstant } from '../control/send-time.ts';
import { CAUSE_LABEL, type FailureGroup, type PassFigures } from './send-failures.ts';

// The plain text of a send's figures, shared by `gazette status`, the report's text and the worker's
// log line; the terminal's own views (rows, progress bars) live in src/cli/send/status-view.ts.

const number = new Intl.NumberFormat('en-US');

/** `1,234`. */
export function formatCount(n: number): string {
  return number.format(n);
}

/** `0:42` or `1:02:03` for a number of seconds; `-` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const [h, m, sec] = hms.map((v) => String(v).padStart(2, '0'));
  return hms[0] ? `${Number(h)}:${m}:${sec}` : `${Number(m)}:${sec}`;
}

/** Failures by cause, each with its most frequent replies in the relay's words (up to `replies`). */
export function failureLines(groups: readonly FailureGroup[], replies = 3): string[] {
  if (groups.length === 0) return [];
  const lines = ['failures by cause:'];
  for (const g of groups) {
    lines.push(`  ${CAUSE_LABEL[g.cause]}: ${formatCount(g.count)}`);
    for (const r of g.replies.slice(0, replies))
      lines.push(`    ${formatCount(r.count).padStart(7)} × ${r.words || '(no reply)'}`);
    if (g.replies.length > replies) lines.push(`    … ${g.replies.length - replies} other replies`);
  }
  return lines;
}

/** One line per pass when the send was retried (nothing for a send delivered in one pass). */
export function passLines(passes: readonly PassFigures[], zone: string): string[] {
  if (passes.length < 2) return [];
  return passes.map((p) => {
    const name = p.pass === 1 ? 'first pass' : `retry ${p.pass - 1}`;
    const when = p.at ? ` (${formatInstant(p.at, zone)})` : '';
    return `${name}${when}: ${formatCount(p.recipients)} recipient(s), delivered ${formatCount(p.delivered)} · failed ${formatCount(p.failed)} · skipped ${formatCount(p.skipped)}`;
  });
}
