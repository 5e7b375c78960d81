import { renderToMjml } from '@faire/mjml-react/utils/renderToMjml.js';
import mjml2html from 'mjml';
import { createElement } from 'react';
import { IssueEmail } from '../../templates/issue/issue-email.tsx';
import { GazetteError } from '../errors.ts';
import type { Issue } from '../issue/schema.ts';
import { type CompiledIssue, PLACEHOLDER } from './compiled.ts';
import { resolveImages } from './images.ts';
import { collectLinks } from './links.ts';
import { issueStrings } from './strings.ts';
import { issueText } from './text.ts';

/** What goes where a reader's own values go: placeholders for a send, real links for the web archive. */
export interface Slots {
  unsubscribeUrl: string;
  webUrl: string;
  greeting: string;
}

const PLACEHOLDER_SLOTS: Slots = {
  unsubscribeUrl: PLACEHOLDER.unsubscribeUrl,
  webUrl: PLACEHOLDER.webUrl,
  greeting: PLACEHOLDER.greeting,
};

/**
 * Renders an issue to MJML, HTML and text with the given slots. MJML runs here and nowhere else.
 * Throws GazetteError if MJML's strict validation refuses the markup (a template bug, not an editor's).
 */
export async function renderIssue(
  issue: Issue,
  opts: { publicUrl: string; slots: Slots },
): Promise<{ mjml: string; html: string; text: string }> {
  const resolved = resolveImages(issue, opts.publicUrl);
  const t = issueStrings(issue.locale);
  const mjml = renderToMjml(createElement(IssueEmail, { issue: resolved, t, slots: opts.slots }));
  // No `minify`: htmlnano would triple the compile time (about 60 ms more) to save about 11 KB, and the
  // unminified issue already sits well under Gmail's 102 KB clipping limit.
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false });
  if (result.errors.length > 0) {
    const detail = result.errors.map((e) => `${e.tagName} line ${e.line}: ${e.message}`).join('; ');
    throw new GazetteError(`The template produced invalid MJML: ${detail}`, { code: 'E_MJML' });
  }
  return { mjml, html: result.html, text: issueText(resolved, t, opts.slots) };
}

/**
 * Compiles an issue once for sending: html and text carry PLACEHOLDER markers where each recipient's
 * unsubscribe URL, web-version URL and greeting go. Throws GazetteError if editor text contains a marker.
 */
export async function compileIssue(issue: Issue, opts: { publicUrl: string }): Promise<CompiledIssue> {
  if (JSON.stringify(issue).includes('%%GZ_')) {
    throw new GazetteError('The issue contains the reserved text "%%GZ_"; remove it.', {
      code: 'E_RESERVED',
    });
  }
  const { mjml, html, text } = await renderIssue(issue, {
    publicUrl: opts.publicUrl,
    slots: PLACEHOLDER_SLOTS,
  });
  const t = issueStrings(issue.locale);
  return {
    number: issue.number,
    month: issue.month,
    locale: issue.locale,
    subject: issue.subject,
    preheader: issue.preheader ?? '',
    html,
    text,
    mjml,
    links: collectLinks(issue),
    greeting: { named: t.greetingNamed, anonymous: t.greetingAnonymous },
  };
}

/**
 * Renders the issue as anyone may read it on the web: no personal links, a generic greeting,
 * and the subscribe form where the mail has its unsubscribe link.
 */
export function renderWebVersion(
  issue: Issue,
  opts: { publicUrl: string },
): Promise<{ mjml: string; html: string; text: string }> {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const slots: Slots = {
    unsubscribeUrl: `${base}/subscribe`,
    webUrl: `${base}/archive/${issue.number}`,
    greeting: issueStrings(issue.locale).greetingAnonymous,
  };
  return renderIssue(issue, { publicUrl: opts.publicUrl, slots });
}
