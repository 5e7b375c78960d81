import { describe, expect, it } from 'vitest';
import type { SendReport } from '../../src/desk/api/schemas.ts';
import { linksCsv } from '../../src/desk/web/report/links-csv.ts';

const report = (links: SendReport['links'], totalClicks: number): SendReport => ({
  id: 's1',
  issue: 204,
  subject: 'No.204',
  state: 'done',
  total: 3,
  delivered: 3,
  failed: 0,
  skipped: 0,
  bounced: 0,
  bouncesByReason: {},
  failures: [],
  passes: [],
  unsubscribed: 0,
  complaints: 0,
  uniqueClicks: 3,
  clickRate: 1,
  totalClicks,
  machineClicks: 9,
  links,
  editions: { ja: { delivered: 3, failed: 0, bounced: 0, uniqueClicks: 3, clickRate: 1, links: {} } },
  timeline: {
    firstDelivery: null,
    lastDelivery: null,
    averagePerSecond: 0,
    peakPerSecond: 0,
    deliveries: [],
    clicks: [],
  },
});

describe('linksCsv', () => {
  it('names each link by its title beside its id, with clicks, readers, share and machine clicks', () => {
    const csv = linksCsv(
      report(
        [
          {
            linkId: 'cac-global-summit-2020',
            title: '「CACグローバルサミット2020」開催',
            url: 'https://a.test/x',
            total: 3,
            unique: 2,
            machine: 7,
          },
          { linkId: 'footer-1', title: '', url: 'https://a.test/y', total: 1, unique: 1, machine: 2 },
        ],
        4,
      ),
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '"title","link","url","clicks","unique","share","machine"',
      '"「CACグローバルサミット2020」開催","cac-global-summit-2020","https://a.test/x","3","2","0.7500","7"',
      '"","footer-1","https://a.test/y","1","1","0.2500","2"',
      '',
    ]);
  });

  it('defuses a title a spreadsheet would run as a formula, and doubles its quotes', () => {
    const csv = linksCsv(
      report(
        [{ linkId: 'a', title: '=HYPERLINK("x")', url: 'https://a.test/', total: 0, unique: 0, machine: 1 }],
        0,
      ),
    );
    expect(csv).toContain(`"'=HYPERLINK(""x"")","a","https://a.test/","0","0","0","1"`);
  });
});
