import type { Context } from 'hono';
import { pageStrings } from '../../../templates/locales/chrome-strings.ts';
import { readClickToken } from '../../clicks/click-token.ts';
import { createMachineRules } from '../../clicks/machine-rules.ts';
import { TRAP_LINK } from '../../compose/compiled.ts';
import { clientIp } from '../../http/client-ip.ts';
import { pickLocale } from './locale.ts';
import { MessagePage, pageRenderer } from './pages.tsx';
import type { ServerDeps } from './server-deps.ts';

/** How many sends' link maps a server process keeps (they never change once a send exists). */
const MAX_SENDS = 64;

/**
 * GET (and HEAD) /c/:token: records a click and answers 302 to the link's URL as stored with the send,
 * in the reader's edition (its link ids are the default edition's, its URLs its own), whoever asks:
 * a person behind a link scanner must still reach the page. The URL comes only from the send's link
 * maps, never from the request, so this is no open redirect; a bad token, an unknown send or a link
 * id not in the send answers a small 404 page and redirects nowhere. The hidden trap link's token
 * answers a small 200 and leads nowhere. Whether a click was a person's is judged from the request
 * (src/clicks/machine-rules.ts) and from timing (src/clicks/click-store.ts); the address and user
 * agent are read for that and not stored.
 */
export function followClick(deps: ServerDeps) {
  const renderPage = pageRenderer(deps.config.MAIL_FROM);
  const { sends, clicks } = deps;
  const machineRules = createMachineRules(deps.config);
  /** Each edition's link map, the default first. */
  const links = new Map<string, Promise<Record<string, string>[] | null>>();

  const editionLinks = async (sendId: string): Promise<Record<string, string>[]> => {
    const others = (await sends.get(sendId))?.editions?.slice(1) ?? [];
    const compiled = await Promise.all([
      sends.compiled(sendId),
      ...others.map((l) => sends.compiled(sendId, l)),
    ]);
    return compiled.map((c) => c.links);
  };

  const linksOf = (sendId: string) => {
    let found = links.get(sendId);
    if (!found) {
      found = editionLinks(sendId).catch(() => null);
      links.set(sendId, found);
      // A send that is missing now may be created later: forget misses; keep the map small.
      found.then((l) => l ?? links.delete(sendId));
      if (links.size > MAX_SENDS) links.delete(links.keys().next().value as string);
    }
    return found;
  };

  return async (c: Context) => {
    const target = readClickToken(deps.config.GAZETTE_SECRET, c.req.param('token') ?? '');
    if (target?.linkId === TRAP_LINK) {
      await clicks.record(target.sendId, TRAP_LINK, target.subscriberId, { kind: 'trap' });
      c.header('X-Robots-Tag', 'noindex');
      return c.text('', 200);
    }
    const maps = target ? await linksOf(target.sendId) : null;
    const place =
      target && maps && maps.length > 1 ? await sends.readerEdition(target.sendId, target.subscriberId) : 0;
    // hasOwn: a link id such as `constructor` must not reach the object's prototype.
    const url = [maps?.[place], maps?.[0]]
      .map((map) => (target && map && Object.hasOwn(map, target.linkId) ? map[target.linkId] : undefined))
      .find((u) => u !== undefined);
    if (!target || url === undefined) {
      const locale = pickLocale(c.req.query('lang'), c.req.header('accept-language'), 'en');
      const s = pageStrings(locale).click;
      return c.html(renderPage(<MessagePage locale={locale} title={s.title} lines={[s.unknown]} />), 404);
    }
    const kind = machineRules({
      method: c.req.method,
      userAgent: c.req.header('user-agent') ?? '',
      purpose: c.req.header('sec-purpose') ?? c.req.header('purpose') ?? '',
      ip: clientIp(c, deps.config.TRUST_PROXY),
    });
    await clicks.record(target.sendId, target.linkId, target.subscriberId, {
      kind,
      renderedAt: target.renderedAt,
    });
    return c.redirect(url, 302);
  };
}
