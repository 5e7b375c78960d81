import type { CompiledIssue } from '../../compose/compiled.ts';
import { slotValues } from '../../compose/personalize.ts';
import type { Config } from '../../config.ts';
import { oneLine } from '../../text/one-line.ts';
import { editionFor } from '../edition-for.ts';
import type { SendRecord, SendState, SendStore } from '../record/send-store.ts';
import {
  buildMessageTemplate,
  type MessageOptions,
  type MessageTemplate,
  type RenderedMessage,
  renderMessage,
} from './message-template.ts';
import { clickLinks, recipientLinks } from './recipient-links.ts';

/** A recipient as the message needs it. */
export interface MessageSubscriber {
  id: number;
  email: string;
  name: string;
  /** The reader's language: they get the send's edition in it (see editionFor). */
  locale?: string;
}

/** Everything a worker needs to deliver one send, built once per send and process. */
export interface SendContext {
  record: SendRecord;
  /** The send's state, read again from Redis at most every STATE_TTL_MS (so pause acts within that). */
  state(): Promise<SendState | null>;
  /** The place in the send's editions (0 the default) of the edition `subscriber` gets. */
  editionOf(subscriber: MessageSubscriber): number;
  /** One recipient's finished message, in edition `edition` (see editionOf). Throws if the address is unusable. */
  render(subscriber: MessageSubscriber, edition: number): RenderedMessage;
}

/** How stale a worker's view of a send's state may be; pause and cancel act within this. */
export const STATE_TTL_MS = 200;
const MAX_CONTEXTS = 16;

/** The message options of a send (its From, list and, for a test, the `[TEST]` prefix). */
export function templateOptions(record: Pick<SendRecord, 'id' | 'from' | 'list' | 'testTo'>): MessageOptions {
  return {
    from: record.from,
    list: record.list || 'test',
    sendId: record.id,
    ...(record.testTo ? { subjectPrefix: '[TEST] ' } : {}),
  };
}

/**
 * Prepares the messages of a send: per send, the click signer (when the issue is tracked); per
 * recipient, only their tokens and the splice. Also used for test sends (subscriber id 0).
 */
export function messageMaker(
  config: Config,
  ctx: {
    record: Pick<SendRecord, 'id' | 'issue'> & Partial<Pick<SendRecord, 'testTo'>>;
    compiled: CompiledIssue;
    template: MessageTemplate;
    /** Another edition than the default: the reader's web version is its archive page. */
    edition?: string | undefined;
  },
): (subscriber: MessageSubscriber) => RenderedMessage {
  const clicks = ctx.compiled.tracked ? clickLinks(config, ctx.record.id, ctx.compiled) : undefined;
  return (subscriber) => {
    const links = recipientLinks(
      config,
      ctx.record.id,
      subscriber.id,
      ctx.record.issue,
      Boolean(ctx.record.testTo),
      ctx.edition,
    );
    const name = oneLine(subscriber.name ?? '', 100);
    return renderMessage(ctx.template, {
      email: subscriber.email,
      name,
      messageId: `${ctx.record.id}.${subscriber.id}@${ctx.template.domain}`,
      unsubscribeUrl: links.unsubscribeUrl,
      unsubscribeMailto: links.unsubscribeMailto,
      returnPath: links.returnPath,
      slots: slotValues(ctx.compiled, {
        unsubscribeUrl: links.unsubscribeUrl,
        webUrl: links.webUrl,
        name,
        links: clicks?.(subscriber.id),
      }),
    });
  };
}

/**
 * A per-process cache of send contexts: the compiled issue is read and the MIME template built
 * once per send, not per batch. Returns null for a send that does not exist.
 */
export function createSendContexts(deps: { sends: SendStore; config: Config; clock?: () => number }) {
  const clock = deps.clock ?? Date.now;
  const contexts = new Map<string, Promise<SendContext | null>>();

  async function load(sendId: string): Promise<SendContext | null> {
    const record = await deps.sends.get(sendId);
    if (!record) return null;
    // Each edition compiled and its MIME template built once per send and process, none per reader.
    const locales = record.editions ?? [];
    const editions = await Promise.all(
      (locales.length > 0 ? locales : [undefined]).map(async (locale, place) => {
        const compiled = await deps.sends.compiled(sendId, place === 0 ? undefined : locale);
        const template = buildMessageTemplate(compiled, templateOptions(record));
        const edition = place === 0 ? undefined : locale;
        return messageMaker(deps.config, { record, compiled, template, edition });
      }),
    );
    const places = new Map(locales.map((l, i) => [l as string, i]));
    const fallback = deps.config.EDITION_FALLBACK;
    let known = { state: record.state as SendState | null, at: clock() };
    let refreshing: Promise<SendState | null> | null = null;
    const ctx: SendContext = {
      record,
      state() {
        if (clock() - known.at < STATE_TTL_MS) return Promise.resolve(known.state);
        refreshing ??= deps.sends.state(sendId).then((state) => {
          known = { state, at: clock() };
          refreshing = null;
          return state;
        });
        return refreshing;
      },
      editionOf(subscriber) {
        if (locales.length < 2) return 0;
        return places.get(editionFor(subscriber.locale, locales, fallback)) ?? 0;
      },
      render(subscriber, edition) {
        return (editions[edition] ?? (editions[0] as (typeof editions)[0]))(subscriber);
      },
    };
    return ctx;
  }

  return {
    get(sendId: string): Promise<SendContext | null> {
      let ctx = contexts.get(sendId);
      if (!ctx) {
        ctx = load(sendId);
        contexts.set(sendId, ctx);
        ctx.then(
          (found) => found ?? contexts.delete(sendId),
          () => contexts.delete(sendId),
        );
        if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
      }
      return ctx;
    },
  };
}
