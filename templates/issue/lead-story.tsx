import { MjmlColumn, MjmlImage, MjmlSection } from '@faire/mjml-react';
import type { Article } from '../../src/issue/schema.ts';
import { ArticleText } from './article-text.tsx';
import { theme } from './theme.ts';

/** The lead story: a full-width image over a large headline. */
export function LeadStory({ article, readMore }: { article: Article; readMore: string }) {
  return (
    <MjmlSection backgroundColor={theme.card} cssClass="gz-card" padding="0 0 16px">
      <MjmlColumn>
        {article.image && (
          <MjmlImage
            src={article.image.src}
            alt={article.image.alt}
            href={article.url}
            width={article.image.width ? `${Math.min(article.image.width, 600)}px` : undefined}
            height={
              article.image.height && article.image.width && article.image.width <= 600
                ? `${article.image.height}px`
                : undefined
            }
            padding="0"
          />
        )}
        <ArticleText article={article} readMore={readMore} headingSize={22} button />
      </MjmlColumn>
    </MjmlSection>
  );
}
