import { isPlaceholder, PLACEHOLDER_LINK, PLACEHOLDER_MARK } from '../../../issue/drafts/placeholder-mark.ts';
import type { RankingItem } from '../../../issue/schema.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { DraftApi } from './draft.ts';
import { Field } from './fields.tsx';
import { ListControls } from './list-controls.tsx';

type Source = 'clicks' | 'hand' | 'none';

/**
 * The click ranking: from an earlier issue's clicks, written by hand, or none at all. Switching is
 * always possible in the form, so a ranking whose issue has no clicks is never a dead end (issue 18).
 */
export function RankingFields({ d, issue }: { d: DraftApi; issue: number }) {
  const { t } = useI18n();
  const ranking = d.draft.ranking as { title?: string; from?: number; items?: RankingItem[] } | undefined;
  const items = ranking?.items ?? [];
  const source: Source = !ranking ? 'none' : ranking.from !== undefined ? 'clicks' : 'hand';
  const title = ranking?.title ? { title: ranking.title } : {};
  const blank = { title: PLACEHOLDER_MARK, url: PLACEHOLDER_LINK };
  const choose = (to: Source) => {
    if (to === 'none') d.update(['ranking'], undefined);
    else if (to === 'clicks') d.update(['ranking'], { ...title, from: issue - 1, items });
    else d.update(['ranking'], { ...title, items: items.length > 0 ? items : [blank] });
  };
  return (
    <fieldset>
      <legend>{t('ranking')}</legend>
      <div role="radiogroup" aria-label={t('rankingSource')} className="segmented wrap">
        {(['clicks', 'hand', 'none'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="ranking-source" checked={source === s} onChange={() => choose(s)} />
            <span>{t(`rankingSource_${s}`)}</span>
          </label>
        ))}
      </div>
      {ranking && <Field d={d} path={['ranking', 'title']} label={t('rankingTitle')} />}
      {source === 'clicks' && (
        <Field
          d={d}
          path={['ranking', 'from']}
          label={t('rankingFrom')}
          type="number"
          hint={t('rankingFromHint')}
        />
      )}
      {ranking &&
        items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an item's fields are bound to its index's path
          <fieldset key={i} className="article">
            <legend>{t('rankingItem', { n: i + 1 })}</legend>
            <ListControls
              d={d}
              path={['ranking', 'items']}
              index={i}
              name={isPlaceholder(item.title) ? t('rankingItem', { n: i + 1 }) : item.title}
            />
            <Field
              d={d}
              path={['ranking', 'items', i, 'title']}
              label={t('itemTitle')}
              required
              placeholder={t('phItemTitle')}
            />
            <Field
              d={d}
              path={['ranking', 'items', i, 'url']}
              label={t('itemUrl')}
              type="url"
              required
              placeholder={t('phUrl')}
            />
          </fieldset>
        ))}
      {ranking && items.length < 5 && (
        <button type="button" onClick={() => d.update(['ranking', 'items'], [...items, blank])}>
          {t('addRankingItem')}
        </button>
      )}
    </fieldset>
  );
}
