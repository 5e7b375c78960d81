import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../src/desk/web/i18n/i18n.tsx';
import { messageText } from '../../src/text/messages/message-text.ts';
import { fieldsLabel, pathLabel } from '../../src/text/messages/path-label.ts';

const ja = translatorFor('ja');
const en = translatorFor('en');
const ko = translatorFor('ko');
const zh = translatorFor('zh');

describe('a JSON path as a person reads it', () => {
  it('names the section, the article and the field in each language', () => {
    expect(pathLabel('sections[0].articles[3].title', ja)).toBe('セクション1・記事4のタイトル');
    expect(pathLabel('sections[0].articles[3].title', en)).toBe('Section 1, article 4: title');
    expect(pathLabel('sections[0].articles[3].title', ko)).toBe('섹션 1 · 기사 4의 제목');
    expect(pathLabel('sections[0].articles[3].title', zh)).toBe('栏目1·文章4的标题');
  });

  it('words paragraphs, images, list items and top-level fields', () => {
    expect(pathLabel('lead.summary[0]', ja)).toBe('リード記事の要約1');
    expect(pathLabel('lead.image.src', ja)).toBe('リード記事・画像のファイル');
    expect(pathLabel('ranking.items[1].url', ja)).toBe('ランキング・項目2のリンク');
    expect(pathLabel('footer.links[0].label', en)).toBe('Footer, link 1: label');
    expect(pathLabel('subject', en)).toBe('Subject');
    expect(pathLabel('subject', ja)).toBe('件名');
    expect(pathLabel('lead', ja)).toBe('リード記事');
  });

  it('keeps a field the desk does not word as its name, and never shows brackets', () => {
    expect(pathLabel('masthead.colour', en)).toBe('Masthead: colour');
    for (const path of ['sections[2].articles[0].summary[4]', 'ranking.items[4].title', 'photo.image.alt']) {
      expect(pathLabel(path, ja)).not.toMatch(/[[\].]|[A-Za-z]{3,}/);
    }
  });

  it('names several fields of one article on one line', () => {
    expect(fieldsLabel('sections[0].articles[1]', ['title', 'summary[0]', 'url'], ja)).toBe(
      'セクション1・記事2のタイトル、要約1、リンク',
    );
    expect(fieldsLabel('lead', ['title', 'url'], en)).toBe('Lead article: title, link');
  });
});

describe('a coded message in words', () => {
  it('fills values, words paths and reasons, and falls back to English for an unknown code', () => {
    const dup = { code: 'duplicate-id', params: { id: 'a', firstPath: 'lead' }, message: 'x' };
    expect(messageText(dup, ja)).toBe(
      '「a」はリード記事ですでに使われています。記事 ID は重ならないようにしてください',
    );
    const dns = {
      code: 'link-unanswered',
      params: { url: 'https://x.test/', reason: 'dns', seconds: 10 },
      message: '',
    };
    expect(messageText(dns, en)).toBe('https://x.test/ did not answer (host name not found)');
    expect(messageText({ code: 'refused', params: {}, message: 'list "x" does not exist' }, ja)).toBe(
      'list "x" does not exist',
    );
  });
});
