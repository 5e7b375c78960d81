import { MjmlColumn, MjmlImage, MjmlSection } from '@faire/mjml-react';
import type { Article, Section } from '../../src/issue/schema.ts';
import { ArticleText } from './article-text.tsx';
import { SectionHeading } from './section-heading.tsx';
import { theme } from './theme.ts';

/**
 * Splits articles into rows: each article with an image gets its own two-column row; a run of articles
 * without images shares one row, since every MJML section adds about 1.5 KB of table markup.
 */
function rows(articles: Article[]): Article[][] {
  const out: Article[][] = [];
  for (const article of articles) {
    const last = out.at(-1);
    if (!article.image && last && !last[0]?.image) last.push(article);
    else out.push([article]);
  }
  return out;
}

/** A section heading, then its articles: image beside text on desktop, stacked on mobile. */
export function SectionBlock({ section, readMore }: { section: Section; readMore: string }) {
  return (
    <>
      <MjmlSection backgroundColor={theme.card} cssClass="gz-card" padding="16px 0 0">
        <MjmlColumn>
          <SectionHeading>{section.title}</SectionHeading>
        </MjmlColumn>
      </MjmlSection>
      {rows(section.articles).map((row) =>
        row[0]?.image ? (
          <ImageRow key={row[0].id} article={row[0]} readMore={readMore} />
        ) : (
          <TextRow key={row[0]?.id} articles={row} readMore={readMore} />
        ),
      )}
    </>
  );
}

const rowStyle = {
  backgroundColor: theme.card,
  cssClass: 'gz-card',
  padding: '8px 0',
  borderBottom: `1px solid ${theme.rule}`,
};

function ImageRow({ article, readMore }: { article: Article; readMore: string }) {
  const image = article.image;
  return (
    <MjmlSection {...rowStyle}>
      <MjmlColumn width="38%" verticalAlign="top">
        {image && (
          <MjmlImage
            src={image.src}
            alt={image.alt}
            href={article.url}
            width={image.width ? `${Math.min(image.width, 228)}px` : undefined}
            borderRadius="4px"
            paddingTop="12px"
            fluidOnMobile
          />
        )}
      </MjmlColumn>
      <MjmlColumn width="62%" verticalAlign="top">
        <ArticleText article={article} readMore={readMore} headingSize={16} />
      </MjmlColumn>
    </MjmlSection>
  );
}

function TextRow({ articles, readMore }: { articles: Article[]; readMore: string }) {
  return (
    <MjmlSection {...rowStyle}>
      <MjmlColumn>
        {articles.map((article, i) => (
          <ArticleText
            key={article.id}
            article={article}
            readMore={readMore}
            headingSize={16}
            ruled={i > 0}
          />
        ))}
      </MjmlColumn>
    </MjmlSection>
  );
}
