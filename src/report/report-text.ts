import { formatInstant } from '../send/control/send-time.ts';
import { formatRate } from '../send/record/send-figures.ts';
import { failureLines, passLines } from '../send/record/send-text.ts';
import type { SendReport } from './send-report.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as a person reads it at the command line; times in `zone`. */
export function reportText(r: SendReport, zone: string): string {
  const t = r.timeline;
  const when = (ms: number | null) => (ms === null ? '—' : formatInstant(ms, zone));
  const reasons = Object.entries(r.bouncesByReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const lines = [
    `Send ${r.id}: issue ${r.issue} "${r.subject}" (${r.state})`,
    `  delivered     ${r.delivered} of ${r.total}`,
    `  failed        ${r.failed}`,
    `  skipped       ${r.skipped}`,
    `  bounced       ${r.bounced}${reasons ? ` (${reasons})` : ''}`,
    `  unsubscribed  ${r.unsubscribed}`,
    `  complaints    ${r.complaints}`,
    `  clicks        ${r.totalClicks} by ${r.uniqueClicks} reader(s): click rate ${pct(r.clickRate)}`,
    `  machine clicks ${r.machineClicks} (link scanners, prefetches; not counted above)`,
    `  first delivery ${when(t.firstDelivery)}, last ${when(t.lastDelivery)}`,
    `  rate          ${formatRate(t.averagePerSecond)}, peak ${formatRate(t.peakPerSecond)}`,
  ];
  const more = [...passLines(r.passes, zone), ...failureLines(r.failures)];
  if (more.length > 0) lines.push('', ...more.map((l) => `  ${l}`));
  if (r.links.length > 0) {
    lines.push('', '  clicks per link (total, unique readers, machine clicks):');
    r.links.forEach((l, i) => {
      const what = l.title ? `${l.title} (${l.linkId})` : l.linkId;
      const figures = [l.total, l.unique, l.machine].map((n) => String(n).padStart(6)).join(' ');
      lines.push(`  ${String(i + 1).padStart(3)}. ${figures}  ${what}  ${l.url}`);
    });
  }
  return lines.join('\n');
}
