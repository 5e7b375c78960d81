import { describe, expect, it } from 'vitest';
import { compileIssue, webVersionOf } from '../../src/compose/render.ts';
import { parseIssue } from '../../src/issue/load.ts';
import { issue201Json } from '../helpers/issues.ts';

const PUBLIC_URL = 'https://news.example.org';

describe('the web version (archive, gazette build)', () => {
  it.each([false, true])(
    'has no link to itself and no unsubscribe link that opens the sign-up form (tracked: %s)',
    async (tracking) => {
      const compiled = await compileIssue(parseIssue(issue201Json()), { publicUrl: PUBLIC_URL, tracking });
      const { html, text } = webVersionOf(compiled, { publicUrl: PUBLIC_URL });
      const links = [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map(([, href, label]) => ({
        href,
        label,
      }));
      expect(links.filter((l) => l.href?.includes('/archive/'))).toEqual([]);
      expect(links.filter((l) => l.label === '配信停止' || l.label === 'ブラウザで見る')).toEqual([]);
      expect(links).toContainEqual({
        href: `${PUBLIC_URL}/subscribe?lang=ja`,
        label: 'ニュースレターの購読を申し込む',
      });
      expect(html).not.toContain('%%');
      expect(html).not.toContain('お申し込みいただいた方にお送りしています');
      expect(text).not.toMatch(/ブラウザで見る|配信停止|%%/);
      expect(text).toContain(`ニュースレターの購読を申し込む: ${PUBLIC_URL}/subscribe?lang=ja`);
    },
  );

  it('leaves the mail itself alone: its view-in-browser and unsubscribe links stay', async () => {
    const compiled = await compileIssue(parseIssue(issue201Json()), { publicUrl: PUBLIC_URL });
    expect(compiled.html).toContain('ブラウザで見る');
    expect(compiled.html).toContain('配信停止');
  });
});
