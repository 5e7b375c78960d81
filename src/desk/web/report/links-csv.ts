import type { SendReport } from '../../api/schemas.ts';

/** A cell that a spreadsheet reads as text: quoted, and a leading = + - @ defused with '. */
function cell(value: string | number): string {
  const s = String(value);
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The report's per-link figures as CSV: link, URL, clicks, unique readers, share of all clicks. */
export function linksCsv(report: SendReport): string {
  const rows = report.links.map((l) =>
    [l.linkId, l.url, l.total, l.unique, report.totalClicks ? (l.total / report.totalClicks).toFixed(4) : '0']
      .map(cell)
      .join(','),
  );
  return `${['link', 'url', 'clicks', 'unique', 'share'].map(cell).join(',')}\r\n${rows.join('\r\n')}\r\n`;
}
