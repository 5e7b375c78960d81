import { MjmlButton, MjmlText } from '@faire/mjml-react';
import type { Article } from '../../src/issue/schema.ts';
import { theme } from './theme.ts';

interface ArticleTextProps {
  article: Article;
  readMore: string;
  headingSize: number;
  /** The lead story gets a button; other articles a text link, which costs a tenth of the markup. */
  button?: boolean;
  /** Draws a rule above the article, between articles that share a row. */
  ruled?: boolean;
}

/** Category, date, title and summary of an article in one block, then its "read more" link. */
export function ArticleText({
  article,
  readMore,
  headingSize,
  button = false,
  ruled = false,
}: ArticleTextProps) {
  const meta = [article.category, article.date].filter(Boolean).join(' · ');
  return (
    <>
      <MjmlText fontSize="14px" color={theme.text} cssClass={ruled ? 'gz-ruled' : undefined}>
        {meta && (
          <div style={{ fontSize: '12px', color: theme.accent, fontWeight: 'bold', paddingBottom: '4px' }}>
            {meta}
          </div>
        )}
        <div
          style={{
            fontSize: `${headingSize}px`,
            fontWeight: 'bold',
            lineHeight: '1.45',
            paddingBottom: '8px',
          }}
        >
          <a href={article.url} style={{ color: theme.text, textDecoration: 'none' }}>
            {article.title}
          </a>
        </div>
        {article.summary.map((paragraph, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs are a static list
          <p key={i} style={{ margin: i === 0 ? '0' : '10px 0 0' }}>
            {paragraph}
          </p>
        ))}
        {!button && (
          <p style={{ margin: '10px 0 0' }}>
            <a href={article.url} style={{ color: theme.brand, fontWeight: 'bold', textDecoration: 'none' }}>
              {readMore} ›
            </a>
          </p>
        )}
      </MjmlText>
      {button && (
        <MjmlButton
          href={article.url}
          align="left"
          backgroundColor={theme.brand}
          color="#ffffff"
          fontSize="13px"
          borderRadius="4px"
          innerPadding="8px 16px"
        >
          {readMore}
        </MjmlButton>
      )}
    </>
  );
}
