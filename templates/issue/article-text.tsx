import { MjmlButton, MjmlText } from '@faire/mjml-react';
import type { Article } from '../../src/issue/schema.ts';
import { theme } from './theme.ts';

/** Category, date, title and summary of an article, then its "read more" button. */
export function ArticleText({
  article,
  readMore,
  headingSize,
}: {
  article: Article;
  readMore: string;
  headingSize: number;
}) {
  const meta = [article.category, article.date].filter(Boolean).join(' · ');
  return (
    <>
      {meta && (
        <MjmlText fontSize="12px" color={theme.accent} fontWeight="bold" paddingBottom="4px">
          {meta}
        </MjmlText>
      )}
      <MjmlText fontSize={`${headingSize}px`} fontWeight="bold" lineHeight="1.45" paddingBottom="8px">
        <a href={article.url} style={{ color: theme.text, textDecoration: 'none' }}>
          {article.title}
        </a>
      </MjmlText>
      <MjmlText fontSize="14px" color={theme.text}>
        {article.summary.map((paragraph, i) => (
          // Paragraph order never changes, so the index is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: static list
          <p key={i} style={{ margin: i === 0 ? '0' : '10px 0 0' }}>
            {paragraph}
          </p>
        ))}
      </MjmlText>
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
    </>
  );
}
