import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { collectLinks, collectLinkTitles } from '../../src/compose/links.ts';
import { translatorFor } from '../../src/desk/web/i18n/i18n.tsx';
import { linkName } from '../../src/desk/web/report/link-name.ts';
import { Issue } from '../../src/issue/schema.ts';

const ja = translatorFor('ja');
const en = translatorFor('en');

describe('the report names each link as a reader sees it (issue 18)', () => {
  it('keeps a title under every link id of the issue and words the template links by their place', async () => {
    const issue = Issue.parse(JSON.parse(await readFile('issues/203.json', 'utf8')));
    const titles = collectLinkTitles(issue);
    // Every link click tracking counts has its title under the same id.
    expect(Object.keys(titles).sort()).toEqual(Object.keys(collectLinks(issue)).sort());
    const name = (linkId: string, t = ja) => linkName({ linkId, title: titles[linkId] ?? '' }, t);
    expect(name('_footer-4')).toBe('フッター: 前号を読む');
    expect(name('_ranking-1')).toBe(
      'ランキング1位: ポストコロナに備える国際会議「CACグローバルサミット2020」開催',
    );
    expect(name('_photo')).toMatch(/^今月の写真: .+/);
    expect(name(issue.lead.id)).toBe(issue.lead.title);
    expect(name('_footer-1', en)).toBe('Footer: homepage');
    expect(name('_ranking-5', en)).toMatch(/^Ranking no\. 5: ソウル市/);
  });

  it('names a template link whose title the send did not keep by its place, never by its id', () => {
    expect(linkName({ linkId: '_footer-2', title: '' }, ja)).toBe('フッターのリンク2');
    expect(linkName({ linkId: '_photo', title: '' }, ja)).toBe('今月の写真');
    expect(linkName({ linkId: 'gone-article', title: '' }, ja)).toBe('gone-article');
  });
});
