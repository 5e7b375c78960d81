import { MjmlColumn, MjmlSection, MjmlText } from '@faire/mjml-react';
import { Fragment } from 'react';
import type { Footer } from '../../src/issue/schema.ts';
import type { IssueStrings } from '../locales/chrome-strings.ts';
import { theme } from './theme.ts';

interface FooterProps {
  footer: Footer;
  t: IssueStrings;
  unsubscribeUrl: string;
}

/** Footer links, contact, copyright, why the reader gets this mail, and the unsubscribe link. */
export function FooterBlock({ footer, t, unsubscribeUrl }: FooterProps) {
  const contact = footer.contact;
  const contactLines = contact ? [contact.name, contact.address, contact.phone].filter(Boolean) : [];
  return (
    <MjmlSection padding="20px 0 28px" cssClass="gz-muted">
      <MjmlColumn>
        {footer.links.length > 0 && (
          <MjmlText align="center" fontSize="13px" color={theme.brand}>
            {footer.links.map((link, i) => (
              <Fragment key={link.url}>
                {i > 0 && <span style={{ color: theme.rule, padding: '0 6px' }}>|</span>}
                <a href={link.url} style={{ color: theme.brand, textDecoration: 'none' }}>
                  {link.label}
                </a>
              </Fragment>
            ))}
          </MjmlText>
        )}
        {contact && (
          <MjmlText align="center" fontSize="12px" color={theme.muted}>
            <strong>{contact.name ? '' : t.contact}</strong>
            {contactLines.map((line) => (
              <div key={line}>{line}</div>
            ))}
            {contact.email && (
              <div>
                <a href={`mailto:${contact.email}`} style={{ color: theme.muted }}>
                  {contact.email}
                </a>
              </div>
            )}
          </MjmlText>
        )}
        <MjmlText align="center" fontSize="11px" color={theme.muted}>
          <div>{t.whyReceived}</div>
          <div style={{ paddingTop: '6px' }}>
            <a href={unsubscribeUrl} style={{ color: theme.muted }}>
              {t.unsubscribe}
            </a>
          </div>
          <div style={{ paddingTop: '10px', letterSpacing: '0.5px' }}>{footer.copyright}</div>
        </MjmlText>
      </MjmlColumn>
    </MjmlSection>
  );
}
