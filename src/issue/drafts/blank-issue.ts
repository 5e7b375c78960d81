import type { Article, Issue, Locale } from '../schema.ts';
import { PLACEHOLDER_MARK } from './placeholder-mark.ts';

/** What each placeholder asks for, in the issue's own language. */
const WORDS: Record<
  Locale,
  Record<'name' | 'subject' | 'preheader' | 'title' | 'summary' | 'section' | 'publisher', string>
> = {
  ja: {
    name: 'ニュースレターの名前',
    subject: '件名',
    preheader: '受信箱で件名の後に見える一行',
    title: '見出し',
    summary: '記事の要約',
    section: 'ニュース',
    publisher: '© 発行者の名前',
  },
  en: {
    name: 'the newsletter’s name',
    subject: 'subject',
    preheader: 'one line the inbox shows after the subject',
    title: 'headline',
    summary: 'summary of the article',
    section: 'News',
    publisher: '© the publisher’s name',
  },
  ko: {
    name: '뉴스레터 이름',
    subject: '제목',
    preheader: '받은편지함에서 제목 뒤에 보이는 한 줄',
    title: '헤드라인',
    summary: '기사 요약',
    section: '뉴스',
    publisher: '© 발행처 이름',
  },
  zh: {
    name: '简报名称',
    subject: '邮件主题',
    preheader: '收件箱中主题后显示的一行字',
    title: '标题',
    summary: '文章摘要',
    section: '新闻',
    publisher: '© 出版者名称',
  },
};

/**
 * A first issue with nothing in it yet, in `locale`: a lead and one section of one article, every text
 * and link a `[[TODO]]` placeholder saying what goes there (a draft may hold them; the checks list each
 * as an error until it is written, so it cannot be approved before).
 */
export function blankIssue(locale: Locale, number: number, month: string): Issue {
  const w = WORDS[locale];
  const todo = (what: string) => `${PLACEHOLDER_MARK} ${what}`;
  const article = (id: string): Article => ({
    id,
    title: todo(w.title),
    summary: [todo(w.summary)],
    url: `https://example.com/${PLACEHOLDER_MARK}`,
  });
  return {
    number,
    month,
    locale,
    masthead: { title: todo(w.name) },
    subject: todo(w.subject),
    preheader: todo(w.preheader),
    lead: article('lead'),
    sections: [{ title: w.section, articles: [article('s1-article-1')] }],
    footer: { copyright: todo(w.publisher), links: [] },
    tracking: true,
  };
}
