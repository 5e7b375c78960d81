import { PLACEHOLDER_LINK, PLACEHOLDER_MARK } from '../../../issue/drafts/placeholder-mark.ts';
import type { FooterLink } from '../../../issue/schema.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ArticleFields } from './article-fields.tsx';
import type { DraftApi } from './draft.ts';
import { Field } from './fields.tsx';
import { ImageFields } from './image-fields.tsx';
import { ListControls } from './list-controls.tsx';
import { RankingFields } from './ranking-fields.tsx';
import { SectionsFields } from './sections-fields.tsx';

/** The whole issue as a form, in the order a reader meets it. */
export function IssueForm({ d, issue }: { d: DraftApi; issue: number }) {
  const { t } = useI18n();
  const links = (d.draft.footer?.links ?? []) as FooterLink[];
  return (
    <div className="issue-form">
      <fieldset>
        <legend>{t('masthead')}</legend>
        <Field
          d={d}
          path={['masthead', 'title']}
          label={t('mastheadTitle')}
          required
          placeholder={t('phMastheadTitle')}
        />
        <Field d={d} path={['masthead', 'tagline']} label={t('mastheadTagline')} />
        <div className="row">
          <Field d={d} path={['month']} label={t('month')} required />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('envelope')}</legend>
        <Field d={d} path={['subject']} label={t('subject')} required placeholder={t('phSubject')} />
        <Field
          d={d}
          path={['preheader']}
          label={t('preheader')}
          hint={t('preheaderHint')}
          placeholder={t('phPreheader')}
        />
      </fieldset>
      <fieldset>
        <legend>{t('lead')}</legend>
        <ArticleFields d={d} path={['lead']} issue={issue} />
      </fieldset>
      <SectionsFields d={d} issue={issue} />
      <fieldset>
        <legend>{t('photo')}</legend>
        {d.draft.photo ? (
          <>
            <Field
              d={d}
              path={['photo', 'title']}
              label={t('photoTitle')}
              required
              placeholder={t('phPhotoTitle')}
            />
            <Field
              d={d}
              path={['photo', 'caption']}
              label={t('photoCaption')}
              multiline
              placeholder={t('phCaption')}
            />
            <Field d={d} path={['photo', 'url']} label={t('photoUrl')} type="url" />
            <ImageFields d={d} path={['photo', 'image']} issue={issue} />
            <button type="button" className="danger" onClick={() => d.update(['photo'], undefined)}>
              {t('removePhoto')}
            </button>
          </>
        ) : (
          <button
            type="button"
            onClick={() =>
              d.update(['photo'], { title: PLACEHOLDER_MARK, image: { src: PLACEHOLDER_MARK, alt: '' } })
            }
          >
            {t('addPhoto')}
          </button>
        )}
      </fieldset>
      <RankingFields d={d} issue={issue} />
      <fieldset>
        <legend>{t('footer')}</legend>
        <Field
          d={d}
          path={['footer', 'copyright']}
          label={t('copyright')}
          required
          placeholder={t('phCopyright')}
        />
        {links.map((link, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an item's fields are bound to its index's path
          <div key={i} className="row">
            <Field
              d={d}
              path={['footer', 'links', i, 'label']}
              label={t('linkLabel')}
              required
              placeholder={t('phLinkLabel')}
            />
            <Field
              d={d}
              path={['footer', 'links', i, 'url']}
              label={t('itemUrl')}
              type="url"
              required
              placeholder={t('phUrl')}
            />
            <ListControls d={d} path={['footer', 'links']} index={i} name={link.label} />
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            d.update(['footer', 'links'], [...links, { label: PLACEHOLDER_MARK, url: PLACEHOLDER_LINK }])
          }
        >
          {t('addFooterLink')}
        </button>
        <Field d={d} path={['footer', 'contact', 'name']} label={t('contactName')} />
        <Field d={d} path={['footer', 'contact', 'email']} label={t('contactEmail')} type="email" />
      </fieldset>
    </div>
  );
}
