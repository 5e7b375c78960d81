import { MjmlColumn, MjmlImage, MjmlSection, MjmlText } from '@faire/mjml-react';
import type { Article, Section } from '../../src/issue/schema.ts';
import { ArticleText } from './article-text.tsx';
import { SectionHeading } from './section-heading.tsx';
import { theme } from './theme.ts';

/** A section heading, then its articles: image beside text on desktop, stacked on mobile. */
export function SectionBlock({ section, readMore }: { section: Section; readMore: string }) {
  return (
    <>
      <MjmlSection backgroundColor={theme.card} cssClass="gz-card" padding="16px 0 0">
        <MjmlColumn>
          <SectionHeading>{section.title}</SectionHeading>
        </MjmlColumn>
      </MjmlSection>
      {section.articles.map((article) => (
        <ArticleRow key={article.id} article={article} readMore={readMore} />
      ))}
    </>
  );
}

function ArticleRow({ article, readMore }: { article: Article; readMore: string }) {
  return (
    <MjmlSection
      backgroundColor={theme.card}
      cssClass="gz-card"
      padding="8px 0"
      borderBottom={`1px solid ${theme.rule}`}
    >
      {article.image && (
        <MjmlColumn width="38%" verticalAlign="top">
          <MjmlImage
            src={article.image.src}
            alt={article.image.alt}
            href={article.url}
            width={article.image.width ? `${Math.min(article.image.width, 228)}px` : undefined}
            borderRadius="4px"
            paddingTop="12px"
          />
        </MjmlColumn>
      )}
      <MjmlColumn width={article.image ? '62%' : '100%'} verticalAlign="top">
        <ArticleText article={article} readMore={readMore} headingSize={16} />
      </MjmlColumn>
    </MjmlSection>
  );
}
