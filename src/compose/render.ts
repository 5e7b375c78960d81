import { renderToMjml } from '@faire/mjml-react/utils/renderToMjml.js';
import { createElement } from 'react';
import { IssueEmail, trapMarkup } from '../../templates/issue/issue-email.tsx';
import { issueStrings } from '../../templates/locales/chrome-strings.ts';
import { GazetteError } from '../errors.ts';
import type { Issue } from '../issue/schema.ts';
import { type CompiledIssue, linkPlaceholder, PLACEHOLDER, TRAP_LINK } from './compiled.ts';
import { resolveImages } from './image-urls.ts';
import { builtInLinkId, collectLinks, collectLinkTitles } from './links.ts';
import { createPersonalizer } from './personalize.ts';
import { issueText } from './text.ts';
import { webChrome } from './web-chrome.ts';

/** What goes where a reader's own values go: placeholders for a send, real links for the web archive. */
export interface Slots {
  unsubscribeUrl: string;
  webUrl: string;
  greeting: string;
  /** The hidden trap link's URL (tracked sends only): absent, the message has no trap. */
  trapUrl?: string;
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
  // MJML loads on the first render, so that the server and the preview listen before it has loaded.
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false });
  if (result.errors.length > 0) {
    const detail = result.errors.map((e) => `${e.tagName} line ${e.line}: ${e.message}`).join('; ');
    throw new GazetteError(`The template produced invalid MJML: ${detail}`, { code: 'E_MJML' });
  }
  return { mjml, html: result.html, text: issueText(resolved, t, opts.slots) };
}

/**
 * The issue with every trackable link (articles, photo, ranking, footer) replaced by its link
 * placeholder; the unsubscribe and view-in-browser links are slots of their own and stay untracked.
 */
function withLinkPlaceholders(issue: Issue): Issue {
  const article = <T extends { id: string }>(a: T) => ({ ...a, url: linkPlaceholder(a.id) });
  return {
    ...issue,
    lead: article(issue.lead),
    sections: issue.sections.map((s) => ({ ...s, articles: s.articles.map(article) })),
    ...(issue.photo?.url ? { photo: { ...issue.photo, url: linkPlaceholder(builtInLinkId('photo')) } } : {}),
    ...(issue.ranking
      ? {
          ranking: {
            ...issue.ranking,
            items: issue.ranking.items.map((item, i) => ({
              ...item,
              url: linkPlaceholder(builtInLinkId(`ranking-${i + 1}`)),
            })),
          },
        }
      : {}),
    footer: {
      ...issue.footer,
      links: issue.footer.links.map((l, i) => ({
        ...l,
        url: linkPlaceholder(builtInLinkId(`footer-${i + 1}`)),
      })),
    },
  };
}

/**
 * Compiles an issue once for sending: html and text carry PLACEHOLDER markers where each recipient's
 * unsubscribe URL, web-version URL and greeting go and, with `tracking` (sends pass config.TRACKING;
 * the issue's own `"tracking": false` wins), a link placeholder for every trackable link and, in the
 * HTML only, the hidden trap link's.
 * Throws GazetteError if editor text contains a marker.
 */
export async function compileIssue(
  issue: Issue,
  opts: { publicUrl: string; tracking?: boolean },
): Promise<CompiledIssue> {
  if (JSON.stringify(issue).includes('%%GZ_')) {
    throw new GazetteError('The issue contains the reserved text "%%GZ_"; remove it.', {
      code: 'E_RESERVED',
    });
  }
  const tracked = (opts.tracking ?? false) && issue.tracking;
  const { mjml, html, text } = await renderIssue(tracked ? withLinkPlaceholders(issue) : issue, {
    publicUrl: opts.publicUrl,
    slots: tracked ? { ...PLACEHOLDER_SLOTS, trapUrl: linkPlaceholder(TRAP_LINK) } : PLACEHOLDER_SLOTS,
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
    linkTitles: collectLinkTitles(issue),
    tracked,
    articles: [issue.lead, ...issue.sections.flatMap((s) => s.articles)].map(({ id, title, url }) => ({
      id,
      title,
      url,
    })),
    greeting: { named: t.greetingNamed, anonymous: t.greetingAnonymous },
  };
}

/**
 * The web version of a compiled issue, as anyone may read it (web archive, `gazette build`), without
 * running MJML again: the anonymous greeting and the links' own URLs, so nothing personal or tracked
 * is left, and the web's chrome (no "view in browser", a sign-up link where the mail has "unsubscribe").
 * The hidden trap link is dropped: it is there for mail scanners, and on the web it would lead nowhere.
 */
export function webVersionOf(
  compiled: CompiledIssue,
  opts: { publicUrl: string },
): { html: string; text: string } {
  const base = opts.publicUrl.replace(/\/+$/, '');
  const slots = { unsubscribeUrl: `${base}/%%web-unsubscribe%%`, webUrl: `${base}/%%web-version%%` };
  const web = createPersonalizer(compiled)({ ...slots, name: '' });
  return webChrome(
    { ...web, html: web.html.replace(trapMarkup(''), '') },
    {
      ...slots,
      locale: compiled.locale,
      // The sign-up form in the edition's language, which it records as the reader's.
      subscribeUrl: `${base}/subscribe?lang=${compiled.locale}`,
    },
  );
}
