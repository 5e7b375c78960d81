import { Body, Button, Container, Head, Heading, Html, Preview, render, Text } from 'react-email';
import type { Locale } from '../../src/issue/schema.ts';
import { fill, type PageStrings } from '../locales/chrome-strings.ts';
import { box, button, page, small, text } from './mail-style.ts';

/**
 * What the double opt-in mail shows: the strings of the subscriber's locale and the signed link.
 * Nothing the visitor typed, not a name and not the address (its +tag is free text): the form must
 * not carry strangers' words into someone's inbox.
 */
export interface ConfirmEmailProps {
  locale: Locale;
  strings: PageStrings['confirmMail'];
  url: string;
  /** How long the link works. */
  days: number;
}

/** The confirmation mail a new subscriber gets; React escapes every value. */
export function ConfirmEmail({ locale, strings, url, days }: ConfirmEmailProps) {
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{strings.preview}</Preview>
      <Body style={page}>
        <Container style={box}>
          <Heading as="h1" style={{ ...text, fontSize: '20px' }}>
            {strings.subject}
          </Heading>
          <Text style={text}>{strings.greeting}</Text>
          <Text style={text}>{strings.body}</Text>
          <Button href={url} style={button}>
            {strings.button}
          </Button>
          <Text style={small}>{fill(strings.expires, { days })}</Text>
          <Text style={small}>{strings.ignore}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Renders the confirmation mail: subject, HTML and its plain-text part. */
export async function renderConfirmEmail(
  props: ConfirmEmailProps,
): Promise<{ subject: string; html: string; text: string }> {
  const element = <ConfirmEmail {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: props.strings.subject, html, text: plain };
}
