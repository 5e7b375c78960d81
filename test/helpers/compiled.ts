import { type CompiledIssue, PLACEHOLDER } from '../../src/compose/compiled.ts';

/**
 * A compiled issue written by hand, with every placeholder, long lines, non-ASCII text, a line
 * starting with a dot and trailing spaces: the awkward cases for splicing into encoded parts.
 */
export function sampleCompiled(overrides: Partial<CompiledIssue> = {}): CompiledIssue {
  const paragraph =
    'ソウルの冬の始まり — 서울의 겨울이 시작됩니다. Seoul = winter & "lights" <soon>. '.repeat(6);
  return {
    number: 201,
    month: '2021-11',
    locale: 'ja',
    subject: 'I · SEOUL · U No.201 — 11月号',
    preheader: '今月のソウル',
    html: [
      '<!doctype html><html lang="ja"><body>',
      `<p class="greeting">${PLACEHOLDER.greeting}</p>`,
      `<p><a href="${PLACEHOLDER.webUrl}">ブラウザで見る</a></p>`,
      `<p>${paragraph}</p>`,
      `<div style="${'x'.repeat(300)}">long line with no spaces ${'y'.repeat(200)}</div>`,
      '.dot at the start of a line   ',
      `<p><a href="${PLACEHOLDER.unsubscribeUrl}">配信停止</a>${PLACEHOLDER.greeting}</p>`,
      '</body></html>',
    ].join('\n'),
    text: [
      PLACEHOLDER.greeting,
      '',
      `ブラウザで見る: ${PLACEHOLDER.webUrl}`,
      '',
      paragraph,
      '.dot line',
      'trailing spaces   ',
      `配信停止: ${PLACEHOLDER.unsubscribeUrl}`,
      '',
    ].join('\n'),
    mjml: '<mjml></mjml>',
    links: { lead: 'https://example.com/lead' },
    linkTitles: { lead: 'The lead story' },
    tracked: false,
    articles: [],
    greeting: { named: '{name}さん、こんにちは', anonymous: 'こんにちは' },
    ...overrides,
  };
}
