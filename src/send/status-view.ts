import { CAUSE_LABEL, type FailureGroup, type PassFigures } from './send-failures.ts';
import { formatRate } from './send-figures.ts';
import { formatInstant } from './send-time.ts';
import type { SendStatus } from './status.ts';

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

/** The counts of a send on one line. */
export function countsLine(s: SendStatus): string {
  return [
    `total ${formatCount(s.total)}`,
    `queued ${formatCount(s.queued)}`,
    `delivered ${formatCount(s.delivered)}`,
    `failed ${formatCount(s.failed)}`,
    `skipped ${formatCount(s.skipped)}`,
    `bounced ${formatCount(s.bounced)}`,
    `unsubscribed ${formatCount(s.unsubscribed)}`,
  ].join(' · ');
}

/** A send described for a person: what, to whom, when, and its counts. */
export function describeSend(s: SendStatus, zone: string): string {
  const r = s.record;
  const to = r.testTo ? `test to ${r.testTo}` : `list ${r.list}`;
  const times = [`due ${formatInstant(r.at, zone)}`];
  if (r.startedAt) times.push(`started ${formatInstant(r.startedAt, zone)}`);
  if (r.doneAt) times.push(`done ${formatInstant(r.doneAt, zone)}`);
  const rate = s.rate > 0 ? ` · ${formatRate(s.rate)}` : '';
  const why = s.state === 'paused' && r.reason ? ` (${r.reason})` : '';
  return [
    `${s.id}  ${s.state}${why}  issue ${r.issue} "${r.subject}" → ${to}`,
    times.join(' · '),
    `${countsLine(s)}${rate}`,
  ].join('\n');
}

/** One row of the table of sends. */
export function statusRow(s: SendStatus, zone: string): string {
  const r = s.record;
  return [
    s.id.padEnd(16),
    s.state.padEnd(9),
    String(r.issue).padStart(5),
    (r.testTo ? `test:${r.testTo}` : r.list).padEnd(14),
    formatInstant(r.at, zone).padEnd(30),
    `${formatCount(s.delivered)}/${formatCount(s.total)}`.padStart(13),
    `failed ${formatCount(s.failed)}`,
    `skipped ${formatCount(s.skipped)}`,
  ].join('  ');
}

/** A progress bar line: `[████░░░░]  52%  1,040/2,000  … 650 msg/s  ETA 0:02` (a countdown while scheduled). */
export function progressLine(s: SendStatus, rate: number, now = Date.now(), width = 30): string {
  const settled = s.delivered + s.failed + s.skipped;
  const share = s.total > 0 ? Math.min(1, settled / s.total) : s.state === 'done' ? 1 : 0;
  const filled = Math.round(share * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  const eta = s.state === 'sending' && rate > 0 ? formatDuration(s.queued / rate) : '-';
  return [
    bar,
    `${Math.floor(share * 100)}%`.padStart(4),
    `${formatCount(settled)}/${formatCount(s.total)}`,
    `delivered ${formatCount(s.delivered)} · failed ${formatCount(s.failed)} · skipped ${formatCount(s.skipped)}`,
    formatRate(rate),
    `ETA ${eta}`,
    s.state === 'scheduled' ? `scheduled, starts in ${formatDuration((s.record.at - now) / 1000)}` : s.state,
  ].join('  ');
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
