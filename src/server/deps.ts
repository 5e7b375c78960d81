import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import type { Transporter } from 'nodemailer';
import type { SnsTrust } from '../bounces/sns.ts';
import type { Config } from '../config.ts';
import type { SubscriberStore } from '../subscribers/store.ts';

/** Everything the HTTP server uses, made by the composition root (the CLI or a test). */
export interface ServerDeps {
  redis: Redis;
  store: SubscriberStore;
  config: Config;
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
}

/**
 * The client's IP address as the socket sees it, for consent and unsubscribe records.
 * X-Forwarded-For is not trusted: behind a proxy this is the proxy's address.
 */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
