import { createHash, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { BounceInput, BouncePolicy } from '../../bounces/policy.ts';
import { SesNotification, sesBounceInputs } from '../../bounces/sources/ses.ts';
import { createSnsVerifier, SnsMessage, type SnsTrust } from '../../bounces/sources/sns.ts';
import { WebhookBody, webhookBounceInput } from '../../bounces/sources/webhook.ts';
import { oneLine } from '../../text/one-line.ts';
import type { ServerDeps } from './server-deps.ts';

/** SNS messages are at most 256 KB; so is everything else these routes take. */
const MAX_BODY = 256 * 1024;

/** What the webhooks need: the server's deps; `snsTrust` replaces the AWS-only trust in tests. */
export type BounceWebhookDeps = Pick<ServerDeps, 'config' | 'log' | 'policy'> & {
  snsTrust?: SnsTrust;
  clock?: () => number;
};

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison takes the same time whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Parses JSON text; null when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function badBody(c: Context, error: string, issues?: z.ZodError) {
  return c.json({ error, ...(issues ? { details: z.flattenError(issues) } : {}) }, 400);
}

/** Records a batch (one pipelined round trip for the events, see policy.recordMany) and sums it up. */
async function recordAll(policy: BouncePolicy, inputs: readonly BounceInput[]) {
  const outcomes = await policy.recordMany(inputs);
  const recorded = outcomes.filter((o) => o.recorded).length;
  const suppressed = outcomes.filter((o) => o.suppressed).length;
  return { ok: true, events: inputs.length, recorded, repeats: inputs.length - recorded, suppressed };
}

/**
 * The bounce webhooks, mounted under /webhooks:
 * POST /webhooks/ses: Amazon SES notifications through SNS (signature verified, topic in SES_TOPIC_ARNS,
 * subscriptions confirmed); POST /webhooks/bounces: the generic JSON webhook (Authorization: Bearer
 * BOUNCE_WEBHOOK_SECRET). Bad bodies get 400 with a JSON error; nothing is recorded then.
 */
export function createBounceWebhooks(deps: BounceWebhookDeps): Hono {
  const { config } = deps;
  const log = (msg: string) => (deps.log ?? console.error)(msg);
  const { policy } = deps;
  const sns = createSnsVerifier(deps.snsTrust);
  const app = new Hono();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY,
      onError: (c) => c.json({ error: `The body is larger than ${MAX_BODY} bytes.` }, 413),
    }),
  );

  app.post('/ses', async (c) => {
    const parsed = SnsMessage.safeParse(parseJson(await c.req.text()));
    if (!parsed.success) return badBody(c, 'The body is not an Amazon SNS message.', parsed.error);
    const m = parsed.data;
    if (!config.SES_TOPIC_ARNS.includes(m.TopicArn)) {
      log(`SES webhook: refused a message from topic ${oneLine(m.TopicArn)} (not in SES_TOPIC_ARNS)`);
      return c.json({ error: `The topic ${m.TopicArn} is not one Gazette accepts (SES_TOPIC_ARNS).` }, 403);
    }
    const check = await sns.verify(m);
    if (!check.ok) {
      log(`SES webhook: refused message ${oneLine(m.MessageId)}: ${oneLine(check.reason)}`);
      return c.json({ error: `The SNS signature was not accepted: ${check.reason}.` }, 403);
    }
    if (m.Type === 'SubscriptionConfirmation') {
      const confirmed = await sns.confirm(m);
      if (!confirmed.ok)
        return c.json({ error: `The subscription was not confirmed: ${confirmed.reason}.` }, 403);
      log(`SES webhook: confirmed the subscription to ${oneLine(m.TopicArn)}`);
      return c.json({ ok: true, confirmed: m.TopicArn });
    }
    if (m.Type === 'UnsubscribeConfirmation') return c.json({ ok: true, ignored: m.Type });
    const notification = SesNotification.safeParse(parseJson(m.Message));
    if (!notification.success) {
      return badBody(c, 'The SNS Message is not an Amazon SES notification.', notification.error);
    }
    return c.json(await recordAll(policy, sesBounceInputs(notification.data, config)));
  });

  app.post('/bounces', async (c) => {
    const secret = config.BOUNCE_WEBHOOK_SECRET;
    if (!secret) {
      return c.json({ error: 'The bounce webhook is off; set BOUNCE_WEBHOOK_SECRET to turn it on.' }, 404);
    }
    const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, secret)) {
      return c.json(
        { error: 'Missing or wrong secret: send "Authorization: Bearer <BOUNCE_WEBHOOK_SECRET>".' },
        401,
      );
    }
    const body = parseJson(await c.req.text());
    if (body === null) return badBody(c, 'The body is not JSON.');
    const parsed = WebhookBody.safeParse(body);
    if (!parsed.success)
      return badBody(c, 'The body is not a bounce event or {"events": [...]}.', parsed.error);
    const now = (deps.clock ?? Date.now)();
    return c.json(
      await recordAll(
        policy,
        parsed.data.events.map((e) => webhookBounceInput(e, now)),
      ),
    );
  });

  return app;
}
