import { PLACEHOLDER_MARK } from '../../../issue/drafts/placeholder-mark.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { type DraftApi, getIn, type Path } from './draft.ts';
import { Field, ParagraphsField } from './fields.tsx';
import { ImageFields } from './image-fields.tsx';

/** One article's fields: title, id, link, summary, category, date and an optional image. */
export function ArticleFields({ d, path, issue }: { d: DraftApi; path: Path; issue: number }) {
  const { t } = useI18n();
  const image = getIn(d.draft, [...path, 'image']);
  return (
    <>
      <Field
        d={d}
        path={[...path, 'title']}
        label={t('articleTitle')}
        required
        placeholder={t('phArticleTitle')}
      />
      <div className="row">
        <Field d={d} path={[...path, 'id']} label={t('articleId')} hint={t('articleIdHint')} required />
        <Field d={d} path={[...path, 'category']} label={t('articleCategory')} />
        <Field d={d} path={[...path, 'date']} label={t('articleDate')} type="date" />
      </div>
      <Field
        d={d}
        path={[...path, 'url']}
        label={t('articleUrl')}
        type="url"
        required
        placeholder={t('phUrl')}
      />
      <ParagraphsField
        d={d}
        path={[...path, 'summary']}
        label={t('articleSummary')}
        placeholder={t('phArticleSummary')}
      />
      {image ? (
        <>
          <ImageFields d={d} path={[...path, 'image']} issue={issue} />
          <button type="button" className="danger" onClick={() => d.update([...path, 'image'], undefined)}>
            {t('removeImage')}
          </button>
        </>
      ) : (
        <button
          type="button"
          onClick={() => d.update([...path, 'image'], { src: PLACEHOLDER_MARK, alt: '' })}
        >
          {t('addImage')}
        </button>
      )}
    </>
  );
}
