import { isPlaceholder, PLACEHOLDER_LINK, PLACEHOLDER_MARK } from '../../../issue/drafts/placeholder-mark.ts';
import type { Article, Section } from '../../../issue/schema.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ArticleFields } from './article-fields.tsx';
import type { DraftApi } from './draft.ts';
import { Field } from './fields.tsx';
import { ListControls } from './list-controls.tsx';

const blankArticle = (n: number): Article => ({
  id: `article-${n}`,
  title: PLACEHOLDER_MARK,
  summary: [PLACEHOLDER_MARK],
  url: PLACEHOLDER_LINK,
});

/** A text to name a fieldset by, unless it is still to be written. */
const written = (text: string) => (isPlaceholder(text) ? '' : text);

/** The named sections and their articles: add, remove and reorder both. */
export function SectionsFields({ d, issue }: { d: DraftApi; issue: number }) {
  const { t } = useI18n();
  const sections = (d.draft.sections ?? []) as Section[];
  const count = sections.reduce((n, s) => n + s.articles.length, 2);
  return (
    <fieldset>
      <legend>{t('sections')}</legend>
      {sections.map((section, si) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: an item's fields are bound to its index's path
        <fieldset key={si} className="section">
          <legend>{written(section.title) || t('sectionN', { n: si + 1 })}</legend>
          <ListControls
            d={d}
            path={['sections']}
            index={si}
            name={written(section.title) || t('sectionN', { n: si + 1 })}
          />
          <Field
            d={d}
            path={['sections', si, 'title']}
            label={t('sectionTitle')}
            required
            placeholder={t('phSectionTitle')}
          />
          {section.articles.map((article, ai) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an item's fields are bound to its index's path
            <fieldset key={ai} className="article">
              <legend>{written(article.title) || t('articleN', { n: ai + 1 })}</legend>
              <ListControls
                d={d}
                path={['sections', si, 'articles']}
                index={ai}
                name={written(article.title) || t('articleN', { n: ai + 1 })}
              />
              <ArticleFields d={d} path={['sections', si, 'articles', ai]} issue={issue} />
            </fieldset>
          ))}
          <button
            type="button"
            onClick={() => d.update(['sections', si, 'articles'], [...section.articles, blankArticle(count)])}
          >
            {t('addArticle')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() =>
          d.update(['sections'], [...sections, { title: PLACEHOLDER_MARK, articles: [blankArticle(count)] }])
        }
      >
        {t('addSection')}
      </button>
    </fieldset>
  );
}
