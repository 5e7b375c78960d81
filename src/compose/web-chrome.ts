import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { issueStrings } from '../../templates/locales/chrome-strings.ts';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Text exactly as the templates' React output escapes it, so that it can be found in the HTML. */
const asHtml = (text: string) => renderToStaticMarkup(createElement('b', null, text)).slice(3, -4);

/**
 * Turns a mail's chrome into the web page's: on the web, "view in browser" would point to the page
 * itself and "unsubscribe" would have no one to unsubscribe, so the first goes, the second becomes a
 * link to the sign-up form that says so, and "you receive this because…" goes with them.
 * `webUrl` and `unsubscribeUrl` are the values spliced into the mail's slots for this version.
 */
export function webChrome(
  body: { html: string; text: string },
  opts: {
    locale: Parameters<typeof issueStrings>[0];
    webUrl: string;
    unsubscribeUrl: string;
    subscribeUrl: string;
  },
): { html: string; text: string } {
  const t = issueStrings(opts.locale);
  const link = (url: string) => new RegExp(`<a href="${escapeRegExp(asHtml(url))}"[^>]*>[^<]*</a>`, 'g');
  const html = body.html
    .replace(link(opts.webUrl), '')
    .replace(link(opts.unsubscribeUrl), `<a href="${asHtml(opts.subscribeUrl)}">${asHtml(t.subscribe)}</a>`)
    .replace(`<div>${asHtml(t.whyReceived)}</div>`, '');
  const text = body.text
    .split('\n')
    .filter((line) => line !== `${t.viewInBrowser}: ${opts.webUrl}` && line !== t.whyReceived)
    .map((line) =>
      line === `${t.unsubscribe}: ${opts.unsubscribeUrl}` ? `${t.subscribe}: ${opts.subscribeUrl}` : line,
    )
    .join('\n');
  return { html, text };
}
