import type { MessageParams } from './message-code.ts';

/** One thing wrong with an issue file, located by its JSON path (or line and column for bad JSON). */
export interface Problem {
  path: string;
  /** What is wrong, as a code and values the faces word (`message` is the English words). */
  code: string;
  params: MessageParams;
  message: string;
  /** The line of the file the problem is on, when the issue was read from JSON text. */
  line?: number;
  /** The article the path lies in, so an editor can find it by its title. */
  article?: { path: string; title: string; locale?: unknown };
}

const ARTICLE_WORDS: Record<string, (title: string) => string> = {
  ja: (title) => `記事「${title}」`,
  ko: (title) => `기사 「${title}」`,
  en: (title) => `Article "${title}"`,
};
const TITLE_CHARS = 14;

/**
 * One line an editor can act on: `記事「ソウル市、ペルーの首都リマと…」 (sections[0].articles[3], line 88): url
 * must be …`; without an article `masthead.title (line 4): …`. The path words stay those of `path`.
 */
export function describeProblem(p: Problem): string {
  if (p.article) {
    const chars = [...p.article.title];
    const short = chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS).join('')}…` : p.article.title;
    const words = ARTICLE_WORDS[String(p.article.locale)] ?? ARTICLE_WORDS.en;
    const field = p.path.slice(p.article.path.length).replace(/^\./, '');
    const where = p.line === undefined ? p.article.path : `${p.article.path}, line ${p.line}`;
    return `${words?.(short)} (${where}): ${field ? `${field} ` : ''}${p.message}`;
  }
  if (!p.path) return p.message;
  return p.line === undefined ? `${p.path}: ${p.message}` : `${p.path} (line ${p.line}): ${p.message}`;
}
