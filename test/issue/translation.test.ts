import { describe, expect, it } from 'vitest';
import { editionIdProblems } from '../../src/issue/editions/edition-ids.ts';
import { blankEdition, untranslatedPaths } from '../../src/issue/editions/translation.ts';
import { issue201Json } from '../helpers/issues.ts';

describe('translated editions', () => {
  it('a blank edition keeps ids, links, images and dates and empties every text', () => {
    const base = issue201Json();
    const blank = blankEdition(base, 'en') as typeof base;
    expect(blank.locale).toBe('en');
    expect(blank.number).toBe(base.number);
    expect(blank.month).toBe(base.month);
    expect(blank.lead).toMatchObject({ id: base.lead.id, url: base.lead.url, title: '' });
    expect(blank.lead.image.src).toBe(base.lead.image.src);
    expect(blank.lead.image.alt).toBe('');
    expect(blank.ranking.items[0]).toEqual({ title: '', url: base.ranking.items[0].url });
    expect(untranslatedPaths(base, blank)).toContain('lead.summary[0]');
    expect(untranslatedPaths(base, blank)).not.toContain('lead.url');
  });

  it('a text written is no longer untranslated; an article left out is not counted', () => {
    const base = issue201Json();
    const edition = blankEdition(base, 'en') as typeof base;
    edition.subject = 'No.201';
    edition.sections[0].articles.pop();
    const open = untranslatedPaths(base, edition);
    expect(open).not.toContain('subject');
    expect(open).not.toContain('sections[0].articles[2].title');
    expect(open).toContain('sections[0].articles[1].title');
    expect(editionIdProblems(base, edition).warnings.map((w) => w.path)).toEqual(['sections[0].articles[2]']);
    expect(editionIdProblems(base, edition).errors).toEqual([]);
  });
});
