import { MjmlColumn, MjmlSection, MjmlText } from '@faire/mjml-react';
import { theme } from './theme.ts';

interface MastheadProps {
  title: string;
  tagline?: string | undefined;
  /** "2021年11月", already formatted for the locale. */
  month: string;
  /** "No.201". */
  number: string;
  viewInBrowser: { label: string; url: string };
}

/** The top of the issue: a "view in browser" line, then the newsletter's name, month and number on the brand band. */
export function Masthead({ title, tagline, month, number, viewInBrowser }: MastheadProps) {
  return (
    <>
      <MjmlSection padding="8px 0">
        <MjmlColumn>
          <MjmlText align="right" fontSize="12px" color={theme.muted} padding="0 16px" cssClass="gz-muted">
            <a href={viewInBrowser.url} style={{ color: theme.muted }}>
              {viewInBrowser.label}
            </a>
          </MjmlText>
        </MjmlColumn>
      </MjmlSection>
      <MjmlSection backgroundColor={theme.brand} padding="28px 0 22px">
        <MjmlColumn>
          <MjmlText
            align="center"
            color="#ffffff"
            fontSize="30px"
            fontWeight="bold"
            letterSpacing="2px"
            lineHeight="1.2"
          >
            {title}
          </MjmlText>
          {tagline && (
            <MjmlText align="center" color="#dbe6f5" fontSize="13px" paddingTop="4px">
              {tagline}
            </MjmlText>
          )}
          <MjmlText align="center" color="#ffffff" fontSize="14px" paddingTop="10px">
            {month}
            <span style={{ padding: '0 8px', color: '#9fbbe0' }}>|</span>
            {number}
          </MjmlText>
        </MjmlColumn>
      </MjmlSection>
    </>
  );
}
