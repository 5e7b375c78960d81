import { describe, expect, it } from 'vitest';
import { linkPlaceholder, PLACEHOLDER } from '../../src/compose/compiled.ts';
import { createPersonalizer } from '../../src/compose/personalize.ts';
import { compileIssue, webVersionOf } from '../../src/compose/render.ts';
import { Issue } from '../../src/issue/schema.ts';
import { issue201Json } from '../helpers/issues.ts';

const PUBLIC = 'https://gazette.test';
const issue = Issue.parse(issue201Json());

describe('click tracking at compile time', () => {
  it('puts a placeholder for every trackable link into html and text, and none for unsubscribe or the web version', async () => {
    const c = await compileIssue(issue, { publicUrl: PUBLIC, tracking: true });
    expect(c.tracked).toBe(true);
    for (const [id, url] of Object.entries(c.links)) {
      expect(c.html, id).toContain(`href="${linkPlaceholder(id)}"`);
      expect(c.text, id).toContain(linkPlaceholder(id));
      expect(c.html, id).not.toContain(`href="${url}"`);
    }
    expect(c.html).toContain(`href="${PLACEHOLDER.unsubscribeUrl}"`);
    expect(c.html).toContain(`href="${PLACEHOLDER.webUrl}"`);
    expect(c.articles.map((a) => a.id)).toEqual([
      issue.lead.id,
      ...issue.sections.flatMap((s) => s.articles.map((a) => a.id)),
    ]);
  });

  it('leaves raw links when tracking is off globally or for the issue', async () => {
    const off = await compileIssue(issue, { publicUrl: PUBLIC, tracking: false });
    const perIssue = await compileIssue({ ...issue, tracking: false }, { publicUrl: PUBLIC, tracking: true });
    for (const c of [off, perIssue]) {
      expect(c.tracked).toBe(false);
      expect(c.html).not.toContain('%%GZ_LINK_');
      expect(c.html).toContain(`href="${issue.lead.url}"`);
    }
  });

  it('personalises each link with the reader URL given, escaped in html, and falls back to the link itself', async () => {
    const c = await compileIssue(issue, { publicUrl: PUBLIC, tracking: true });
    const out = createPersonalizer(c)({
      unsubscribeUrl: `${PUBLIC}/u/t`,
      webUrl: `${PUBLIC}/archive/201`,
      links: { [issue.lead.id]: `${PUBLIC}/c/lead?a=1&b=2` },
    });
    expect(out.html).toContain(`href="${PUBLIC}/c/lead?a=1&amp;b=2"`);
    expect(out.text).toContain(`${PUBLIC}/c/lead?a=1&b=2`);
    expect(out.html).toContain(`href="${issue.footer.links[0]?.url}"`);
    expect(out.html).not.toContain('%%GZ_');
  });

  it('the archive version of a tracked compiled issue is the web version, with no placeholder left', async () => {
    const c = await compileIssue(issue, { publicUrl: PUBLIC, tracking: true });
    const fromCompiled = webVersionOf(c, { publicUrl: PUBLIC });
    // The same issue compiled without tracking carries the links' own URLs from MJML on: splicing the
    // tracked one must give the very same page (web chrome included).
    const web = webVersionOf(await compileIssue(issue, { publicUrl: PUBLIC, tracking: false }), {
      publicUrl: PUBLIC,
    });
    expect(fromCompiled.html).toBe(web.html);
    expect(fromCompiled.text).toBe(web.text);
  });

  it('an issue whose ranking names an earlier issue needs no items; one without either is refused', () => {
    const json = issue201Json();
    expect(Issue.safeParse({ ...json, ranking: { from: 200 } }).success).toBe(true);
    const bad = Issue.safeParse({ ...json, ranking: { title: 'x' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe(
      'must have at least one item (or give "from": an earlier issue to rank by clicks)',
    );
  });
});
