import type { BouncePolicy } from '../../bounces/policy.ts';
import type { SnsTrust } from '../../bounces/sources/sns.ts';
import type { ClickStore } from '../../clicks/click-store.ts';
import type { Config } from '../../config.ts';
import type { DeskDeps } from '../../desk/api/desk-deps.ts';
import type { AnyRedis } from '../../redis.ts';
import type { SendStore } from '../../send/record/send-store.ts';
import type { ConfirmMailDeps } from '../../subscribers/signup/confirm-mail.processor.ts';
import type { SubscriberStore } from '../../subscribers/subscriber-store.ts';

/** Everything the HTTP server uses, made by the composition root (the CLI or a test). */
export interface ServerDeps {
  redis: AnyRedis;
  subscribers: SubscriberStore;
  sends: SendStore;
  clicks: ClickStore;
  /** Records the bounces the webhooks receive. */
  policy: BouncePolicy;
  config: Config;
  /** The desk API and Bull Board (/desk/api, /desk/queues); absent, the server has no desk. */
  desk?: DeskDeps;
  /** Sends the double opt-in mail. */
  mailer: ConfirmMailDeps['mailer'];
  /** The issues' images folder, served at /images/ (default `issues/images`). */
  imagesDir?: string;
  /** The built desk web app, served at /desk (default dist/desk in the package). */
  deskDir?: string;
  /** Where unexpected errors go; console.error when not given. */
  log?: (message: string, err?: unknown) => void;
  /** Which URLs the SES webhook may fetch; only tests replace the default (AWS SNS hosts). */
  snsTrust?: SnsTrust;
}
