import { Body, Button, Container, Head, Heading, Html, Preview, render, Text } from 'react-email';
import type { Locale } from '../../src/issue/schema.ts';
import { type AccountMailStrings, fill } from '../locales/chrome-strings.ts';
import { box, button, page, small, text } from './mail-style.ts';

/**
 * What a mail with a link that sets a desk password shows: a reset's words or an invitation's, the
 * member's name, who invited them, and how long the link works. The subject names nobody, so no one's
 * words reach a header.
 */
export interface AccountLinkMailProps {
  locale: Locale;
  /** Which mail: a password reset or an invitation (the strings hold the words of each). */
  purpose: keyof AccountMailStrings;
  strings: AccountMailStrings;
  /** `name` (the member's, else their address), `inviter`, `minutes` or `days`. */
  values: Record<string, string | number>;
  url: string;
}

/** A reset or invitation mail to a desk member; React escapes every value. */
export function AccountLinkMail({ locale, purpose, strings, values, url }: AccountLinkMailProps) {
  const words = strings[purpose];
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{words.subject}</Preview>
      <Body style={page}>
        <Container style={box}>
          <Heading as="h1" style={{ ...text, fontSize: '20px' }}>
            {words.subject}
          </Heading>
          <Text style={text}>{fill(words.greeting, values)}</Text>
          <Text style={text}>{fill(words.body, values)}</Text>
          <Button href={url} style={button}>
            {words.button}
          </Button>
          <Text style={small}>{fill(words.expires, values)}</Text>
          <Text style={small}>{words.ignore}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Renders a reset or invitation mail: subject, HTML and its plain-text part. */
export async function renderAccountLinkMail(
  props: AccountLinkMailProps,
): Promise<{ subject: string; html: string; text: string }> {
  const element = <AccountLinkMail {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: props.strings[props.purpose].subject, html, text: plain };
}
