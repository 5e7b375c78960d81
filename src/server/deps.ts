import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import type { Transporter } from 'nodemailer';
import type { BouncePolicy } from '../bounces/policy.ts';
import type { SnsTrust } from '../bounces/sources/sns.ts';
import type { ClickStore } from '../clicks/click-store.ts';
import type { Config } from '../config.ts';
import type { DeskDeps } from '../desk/api/deps.ts';
import type { SendStore } from '../send/send-store.ts';
import type { SubscriberStore } from '../subscribers/store.ts';
import type { Signups } from '../subscribers/take-signup.ts';

/** Everything the HTTP server uses, made by the composition root (the CLI or a test). */
export interface ServerDeps {
  redis: Redis;
  store: SubscriberStore;
  sends: SendStore;
  clicks: ClickStore;
  /** Records the bounces the webhooks receive. */
  policy: BouncePolicy;
  config: Config;
  /** The desk API and Bull Board (/desk/api, /desk/queues); absent, the server has no desk. */
  desk?: DeskDeps;
  /** Sends the double opt-in mail. */
  mailer: Transporter;
  /** The issues' images folder, served at /images/ (default `issues/images`). */
  imagesDir?: string;
  /** The built desk web app, served at /desk (default dist/desk in the package). */
  deskDir?: string;
  /** Where unexpected errors go; console.error when not given. */
  log?: (message: string, err?: unknown) => void;
  /** Which URLs the SES webhook may fetch; only tests replace the default (AWS SNS hosts). */
  snsTrust?: SnsTrust;
  /** Sign-up limits and the confirmation queue; startServer makes them (and their worker) when absent. */
  signups?: Signups;
}

/** An address as a string to compare: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4. */
function plainIp(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return (v4 ?? address).toLowerCase();
}

/**
 * The client's IP address, for limits and for consent and unsubscribe records. X-Forwarded-For is
 * believed only when the socket's peer is one of `trustProxy` (TRUST_PROXY); then the client is the
 * right-most address in it that is not one of those proxies (the left part is whatever the client sent).
 */
export function clientIp(c: Context, trustProxy: readonly string[] = []): string {
  let peer = 'unknown';
  try {
    peer = plainIp(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    return peer;
  }
  const proxies = new Set(trustProxy.map(plainIp));
  if (!proxies.has(peer)) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => plainIp(h.trim()));
  for (const hop of hops.reverse()) {
    if (proxies.has(hop)) continue;
    return isIP(hop) ? hop : 'unknown';
  }
  return peer;
}
