import type { Locale } from '../../src/issue/schema.ts';

/** Colours and type of the issue template. Mid-tone brand colours keep contrast when clients invert for dark mode. */
export const theme = {
  brand: '#1d4f91',
  accent: '#c8372d',
  text: '#222222',
  muted: '#5f6670',
  rule: '#dde1e6',
  page: '#eef1f5',
  card: '#ffffff',
  // Japanese and Korean faces first, each platform's own, then a generic fallback; no web fonts to download.
  fontFamily:
    "'Hiragino Kaku Gothic ProN','Hiragino Sans','Yu Gothic','Meiryo','Noto Sans JP','Noto Sans CJK JP','Apple SD Gothic Neo','Malgun Gothic',Arial,sans-serif",
  lineHeight: '1.75',
} as const;

/**
 * The font stack of an issue in `locale`. Chinese readers need Simplified Chinese glyph forms, which
 * the Japanese faces at the head of the shared stack would replace for every character they share.
 */
export function fontFamilyFor(locale: Locale): string {
  return locale === 'zh'
    ? `'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans SC','Noto Sans CJK SC',${theme.fontFamily}`
    : theme.fontFamily;
}

/** CSS for clients that honour it: dark mode (Apple Mail, Outlook.com) and small touches on mobile. */
export const headCss = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
.gz-card a { color: ${theme.brand}; }
/* Japanese line breaking: no line may start with ー or small kana (JIS X 4051 kinsoku). */
.gz-card div, .gz-card p, .gz-card td { line-break: strict; }
/* Korean breaks lines between words, at the spaces, not inside one (안심|소득). */
:lang(ko) .gz-card div, :lang(ko) .gz-card p, :lang(ko) .gz-card td { word-break: keep-all; overflow-wrap: break-word; }
.gz-ruled { border-top: 1px solid ${theme.rule}; }
@media (prefers-color-scheme: dark) {
  .gz-page, .gz-page > table { background: #15181d !important; }
  .gz-card > table, .gz-card > div, .gz-card td { background: #1f242b !important; }
  .gz-card div, .gz-card p, .gz-card li, .gz-card span, .gz-card td { color: #e8eaed !important; }
  .gz-card a { color: #8cb4f0 !important; }
  .gz-muted div { color: #aab0b8 !important; }
}
`;
