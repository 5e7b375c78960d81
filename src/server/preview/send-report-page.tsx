import { TimelineChart } from '../../report/report-chart.tsx';
import type { SendReport } from '../../report/send-report.ts';
import { formatInstant } from '../../send/control/send-time.ts';
import { formatRate } from '../../send/record/send-figures.ts';
import { html, Page } from './preview-pages.tsx';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The preview's page of one send's report: the same figures as `gazette report`, times in `zone`, the chart and clicks per link. */
export function reportPage(r: SendReport, zone: string): string {
  const when = (ms: number | null) => (ms === null ? '—' : formatInstant(ms, zone));
  const rows: [string, string | number][] = [
    ['Delivered', `${r.delivered} of ${r.total}`],
    ['Failed', r.failed],
    ['Skipped', r.skipped],
    ['Bounced', r.bounced],
    ...Object.entries(r.bouncesByReason).map(([reason, n]): [string, number] => [`  bounced: ${reason}`, n]),
    ['Unsubscribed', r.unsubscribed],
    ['Complaints', r.complaints],
    ['Clicks', `${r.totalClicks} by ${r.uniqueClicks} reader(s), click rate ${pct(r.clickRate)}`],
    ['Machine clicks', `${r.machineClicks} (link scanners, prefetches; not counted above)`],
    ['First delivery', when(r.timeline.firstDelivery)],
    ['Last delivery', when(r.timeline.lastDelivery)],
    ['Rate', `${formatRate(r.timeline.averagePerSecond)}, peak ${formatRate(r.timeline.peakPerSecond)}`],
  ];
  return html(
    <Page title={`Send ${r.id}: issue ${r.issue}`}>
      <h2>{r.subject}</h2>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Deliveries and clicks per minute</h3>
      <TimelineChart
        zone={zone}
        series={[
          { label: 'deliveries', color: '#1d4f91', points: r.timeline.deliveries },
          { label: 'clicks', color: '#c62828', points: r.timeline.clicks },
        ]}
      />
      <h3>Clicks per link</h3>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Link</th>
            <th>Clicks</th>
            <th>Readers</th>
            <th>Machine</th>
            <th>URL</th>
          </tr>
        </thead>
        <tbody>
          {r.links.map((l, i) => (
            <tr key={l.linkId}>
              <td>{i + 1}</td>
              <td>
                {l.title || l.linkId} {l.title && <small>({l.linkId})</small>}
              </td>
              <td>{l.total}</td>
              <td>{l.unique}</td>
              <td>{l.machine}</td>
              <td>{l.url}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>,
  );
}
