import { safeCell } from '../../../subscribers/files/csv-cells.ts';
import type { SendReport } from '../../api/schemas.ts';

/** A quoted cell that a spreadsheet reads as text (a leading = + - @ defused as the subscriber export does). */
function cell(value: string | number): string {
  return `"${safeCell(String(value)).replace(/"/g, '""')}"`;
}

/**
 * The report's per-link figures as CSV: title, link id, URL, people's clicks, unique readers, share of
 * all people's clicks, machines' clicks (link scanners, prefetches). It starts with a byte order mark, without which Excel reads the UTF-8 titles as Latin-1.
 */
export function linksCsv(report: SendReport): string {
  const rows = report.links.map((l) =>
    [
      l.title,
      l.linkId,
      l.url,
      l.total,
      l.unique,
      report.totalClicks ? (l.total / report.totalClicks).toFixed(4) : '0',
      l.machine,
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${['title', 'link', 'url', 'clicks', 'unique', 'share', 'machine'].map(cell).join(',')}\r\n${rows.join('\r\n')}\r\n`;
}
