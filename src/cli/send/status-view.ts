import { formatInstant } from '../../send/control/send-time.ts';
import { formatRate } from '../../send/record/send-figures.ts';
import type { SendStatus } from '../../send/record/send-status.ts';
import { formatCount, formatDuration } from '../../send/record/send-text.ts';

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
