import type { Translate } from '../i18n/i18n.tsx';

/** The template's own links by their ids (src/compose/links.ts): `_photo`, `_ranking-1`, `_footer-2`. */
const BUILT_IN = /^_(photo|ranking|footer)(?:-(\d+))?$/;

/**
 * A link of the report as a reader of the mail would point at it: an article by its title, the
 * template's links by where they sit and what they say (「フッター: 個人情報保護方針」,
 * 「ランキング1位: …」); the id only for a link whose title the send did not keep.
 */
export function linkName(link: { linkId: string; title: string }, t: Translate): string {
  const [, place, n = ''] = BUILT_IN.exec(link.linkId) ?? [];
  const title = link.title;
  if (place === 'footer') return title ? t('linkFooter', { title }) : t('linkFooterN', { n });
  if (place === 'ranking') return t('linkRanking', { n, title });
  if (place === 'photo') return title ? t('linkPhoto', { title }) : t('photo');
  return title || link.linkId;
}
