import { isPlaceholder } from '../../../issue/drafts/placeholder-mark.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { type DraftApi, getIn, type Path } from './draft.ts';
import { Field } from './fields.tsx';
import { ImagePicker } from './image-picker.tsx';

/** An image's source, alt text (required), width and height, with upload and the folder's picker. */
export function ImageFields({ d, path, issue }: { d: DraftApi; path: Path; issue: number }) {
  const { t } = useI18n();
  const alt = String(getIn(d.draft, [...path, 'alt']) ?? '');
  return (
    <fieldset className="image">
      <legend>{t('image')}</legend>
      <Field d={d} path={[...path, 'src']} label={t('imageSrc')} required placeholder={t('phImageSrc')} />
      <Field
        d={d}
        path={[...path, 'alt']}
        label={t('imageAlt')}
        required
        keepEmpty
        placeholder={t('phImageAlt')}
        // The lint's "empty alt text" (compose/lint.ts), at the field rather than only under the preview.
        warning={alt.trim() === '' || isPlaceholder(alt) ? t('altEmpty') : undefined}
      />
      <div className="row">
        <Field d={d} path={[...path, 'width']} label={t('imageWidth')} type="number" />
        <Field d={d} path={[...path, 'height']} label={t('imageHeight')} type="number" />
      </div>
      <ImagePicker
        issue={issue}
        onPick={(img) => d.update(path, { ...(getIn(d.draft, path) as object | undefined), ...img })}
      />
    </fieldset>
  );
}
