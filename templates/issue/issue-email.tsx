import {
  Mjml,
  MjmlAll,
  MjmlAttributes,
  MjmlBody,
  MjmlColumn,
  MjmlHead,
  MjmlPreview,
  MjmlRaw,
  MjmlSection,
  MjmlStyle,
  MjmlText,
  MjmlTitle,
  MjmlWrapper,
} from '@faire/mjml-react';
import { escapeUTF8 } from 'entities';
import type { Issue } from '../../src/issue/schema.ts';
import { fill, formatMonth, type IssueStrings } from '../locales/chrome-strings.ts';
import { FooterBlock } from './footer-block.tsx';
import { LeadStory } from './lead-story.tsx';
import { Masthead } from './masthead.tsx';
import { PhotoOfTheMonth } from './photo-of-the-month.tsx';
import { RankingList } from './ranking-list.tsx';
import { SectionBlock } from './section-block.tsx';
import { fontFamilyFor, headCss, theme } from './theme.ts';

const COLOR_SCHEME_META =
  '<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">';

/**
 * The hidden "trap" link (src/compose/compiled.ts TRAP_LINK): link scanners follow every href, people
 * never meet it. Not displayed (display:none for browsers, mso-hide:all for Outlook's Word engine, no
 * text and no size), kept from screen readers (aria-hidden) and from the tab order (tabindex -1).
 */
export function trapMarkup(url: string): string {
  const hidden =
    'display:none;mso-hide:all;max-height:0;max-width:0;overflow:hidden;font-size:0;line-height:0';
  return `<div style="${hidden}" aria-hidden="true"><a href="${escapeUTF8(url)}" tabindex="-1" aria-hidden="true" style="${hidden}"></a></div>`;
}

export interface IssueEmailProps {
  /** The issue with every image source already absolute. */
  issue: Issue;
  t: IssueStrings;
  /** Where each reader's own values go: placeholders when compiling for a send, real URLs for the web archive. */
  slots: { unsubscribeUrl: string; webUrl: string; greeting: string; trapUrl?: string | undefined };
}

/** The whole issue as MJML: masthead, greeting, lead story, sections, photo of the month, ranking, footer. */
export function IssueEmail({ issue, t, slots }: IssueEmailProps) {
  return (
    <Mjml lang={issue.locale}>
      <MjmlHead>
        <MjmlTitle>{issue.subject}</MjmlTitle>
        {issue.preheader && <MjmlPreview>{issue.preheader}</MjmlPreview>}
        {/* Raw markup because React would hoist <meta> elements out of the MJML document; a constant, no data. */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: constant markup */}
        <MjmlRaw dangerouslySetInnerHTML={{ __html: COLOR_SCHEME_META }} />
        <MjmlAttributes>
          <MjmlAll
            fontFamily={fontFamilyFor(issue.locale)}
            lineHeight={theme.lineHeight}
            color={theme.text}
          />
        </MjmlAttributes>
        <MjmlStyle>{headCss}</MjmlStyle>
      </MjmlHead>
      <MjmlBody backgroundColor={theme.page} width={600} cssClass="gz-page">
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: constant markup around an escaped URL */}
        {slots.trapUrl && <MjmlRaw dangerouslySetInnerHTML={{ __html: trapMarkup(slots.trapUrl) }} />}
        <Masthead
          title={issue.masthead.title}
          tagline={issue.masthead.tagline}
          month={formatMonth(issue.month, issue.locale)}
          number={fill(t.issueNumber, { number: issue.number })}
          viewInBrowser={{ label: t.viewInBrowser, url: slots.webUrl }}
        />
        <MjmlWrapper padding="0" backgroundColor={theme.card} cssClass="gz-card">
          <MjmlSection backgroundColor={theme.card} cssClass="gz-card" padding="16px 0 0">
            <MjmlColumn>
              <MjmlText fontSize="14px">{slots.greeting}</MjmlText>
            </MjmlColumn>
          </MjmlSection>
          <LeadStory article={issue.lead} readMore={t.readMore} />
          {issue.sections.map((section) => (
            <SectionBlock key={section.title} section={section} readMore={t.readMore} />
          ))}
          {issue.photo && <PhotoOfTheMonth photo={issue.photo} heading={t.photoOfTheMonth} />}
          {issue.ranking && issue.ranking.items.length > 0 && (
            <RankingList ranking={issue.ranking} heading={t.ranking} />
          )}
        </MjmlWrapper>
        <FooterBlock footer={issue.footer} t={t} unsubscribeUrl={slots.unsubscribeUrl} />
      </MjmlBody>
    </Mjml>
  );
}
