import { Body, Button, Container, Head, Heading, Html, Preview, render, Text } from 'react-email';
import type { Locale } from '../../src/issue/schema.ts';
import { type DeskMailStrings, fill } from '../locales/chrome-strings.ts';
import { box, button, page, quote, small, text } from './mail-style.ts';

/** Which desk notice: a review was asked for, changes requested, an issue approved, a send finished. */
export type DeskNoticeKind = 'reviewRequested' | 'changesRequested' | 'approved' | 'sendFinished';

/**
 * What a desk notice shows: the words of the desk's locale filled with `values` (issue number,
 * subject, the display name of who did it, a send's figures), the comment that came with it (a
 * change request's), and a link to the desk.
 */
export interface DeskNoticeProps {
  locale: Locale;
  kind: DeskNoticeKind;
  strings: DeskMailStrings;
  values: Record<string, string | number>;
  comment?: string | undefined;
  url: string;
}

/** A notice to a desk user; React escapes every value (subjects and names are other people's words). */
export function DeskNotice({ locale, kind, strings, values, comment, url }: DeskNoticeProps) {
  const subject = fill(strings[kind].subject, values);
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{subject}</Preview>
      <Body style={page}>
        <Container style={box}>
          <Heading as="h1" style={{ ...text, fontSize: '20px' }}>
            {subject}
          </Heading>
          <Text style={text}>{fill(strings[kind].body, values)}</Text>
          {comment && <Text style={quote}>{comment}</Text>}
          <Button href={url} style={button}>
            {strings.button}
          </Button>
          <Text style={small}>{strings.footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Renders a desk notice: subject, HTML and its plain-text part. */
export async function renderDeskNotice(
  props: DeskNoticeProps,
): Promise<{ subject: string; html: string; text: string }> {
  const element = <DeskNotice {...props} />;
  const [html, plain] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: fill(props.strings[props.kind].subject, props.values), html, text: plain };
}
