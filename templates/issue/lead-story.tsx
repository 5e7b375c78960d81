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
            // No fixed height: MJML would draw it as `height:Npx` beside `width:100%`, squashing the
            // picture on phones; the default `height:auto` keeps the file's proportions at every width.
            padding="0"
            // Without this the cell keeps `width:600px` on phones, and a blocked image then widens the page.
            fluidOnMobile
          />
        )}
        <ArticleText article={article} readMore={readMore} headingSize={22} button />
      </MjmlColumn>
    </MjmlSection>
  );
}
