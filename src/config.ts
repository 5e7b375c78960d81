import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parseRoleMapping } from './roles.ts';

const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');

const PORTS = 'must be port numbers (1 to 65535)';

/** A comma-separated setting as a list of trimmed, non-empty items. */
const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** `host:port` (an IPv6 host in brackets) as ioredis names a node. */
function hostPort(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(value.slice(at + 1)) };
}

/** Every setting Gazette reads from the environment, with its default. */
export const ConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /**
   * Seed nodes of a Redis Cluster (`host:port,host:port,…`); set, Gazette connects through the cluster
   * client (user, password and TLS as in REDIS_URL, whose host is then unused) and tags its keys.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(
      /^\s*[\w.-]+:\d{1,5}(\s*,\s*[\w.-]+:\d{1,5})*\s*$/,
      'host:port,host:port,… (the seed nodes of the cluster)',
    )
    .optional(),
  /** Key prefix for everything Gazette stores in Redis (queues included); lets tests and tenants share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, _ . - only')
    .default('gazette'),
  /**
   * Sentinels watching Gazette's primary (comma-separated host:port); with REDIS_SENTINEL_NAME they
   * replace REDIS_URL's host, whose user name, password, database and TLS still apply to the primary.
   */
  REDIS_SENTINELS: commaList
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9.-]+:\d{1,5}$|^\[[0-9a-f:.]+\]:\d{1,5}$/i, 'must be host:port pairs')
          .transform(hostPort)
          .refine((node) => node.port >= 1 && node.port <= 65535, PORTS),
      ),
    )
    .default([]),
  /** The name the sentinels know the primary by (`sentinel monitor <name> …`). */
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, _ . - only')
    .optional(),
  /** The sentinels' own password (`requirepass` in sentinel.conf), when they have one. */
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  /** Global delivery rate limit in messages per second (0 = unlimited). */
  SEND_RATE: z.coerce.number().min(0).default(0),
  SEND_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  /** First wait before a 4xx-deferred batch is tried again; it doubles each time (exponential backoff). */
  SEND_BACKOFF_MS: z.coerce.number().int().min(10).default(60_000),
  /** Subscribers per delivery job. */
  SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(250),
  /** How long a worker's claim on a job lasts without renewal; a killed worker's jobs are taken up after it. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  GAZETTE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MAIL_FROM: z.string().default('Gazette <newsletter@localhost>'),
  BOUNCE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a bare domain name')
    .default('localhost'),
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  /** Largest message the inbound bounce receiver takes (bytes); bigger ones are refused with 552. */
  BOUNCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(2 * 1024 * 1024),
  /** Soft bounces of one address within BOUNCE_SOFT_DAYS that suppress it. */
  BOUNCE_SOFT_LIMIT: z.coerce.number().int().min(1).default(3),
  BOUNCE_SOFT_DAYS: z.coerce.number().positive().default(30),
  /**
   * Consecutive sends that soft-bounced for one address which suppress it (a delivery in between
   * resets): what catches a dead address on a monthly cadence, where BOUNCE_SOFT_DAYS never fills.
   */
  BOUNCE_SOFT_SENDS: z.coerce.number().int().min(1).default(3),
  /** Days a received bounce message is kept whole (its event, with the diagnostic, stays). */
  BOUNCE_RAW_DAYS: z.coerce.number().positive().default(14),
  /** Largest message taken for `bounces@` without a token (bytes; bigger: 552): it can vouch for nobody. */
  BOUNCE_UNSIGNED_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1000)
    .default(256 * 1024),
  /** Days an unverified bounce (no valid token) and its message are kept for review. */
  BOUNCE_UNVERIFIED_DAYS: z.coerce.number().positive().default(2),
  /** `on`: take mail to `bounces+<bad token>@` for review instead of refusing it at RCPT with 550. */
  BOUNCE_KEEP_FORGED: z.enum(['on', 'off']).default('off'),
  /** Messages and bytes per hour the bounce receiver takes from one client IP (452 past them). */
  BOUNCE_IP_MESSAGES_HOUR: z.coerce.number().int().min(1).default(500),
  BOUNCE_IP_BYTES_HOUR: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(20 * 1024 * 1024),
  /** Messages and bytes per hour the bounce receiver takes in total (421 past them). */
  BOUNCE_TOTAL_MESSAGES_HOUR: z.coerce.number().int().min(1).default(20_000),
  BOUNCE_TOTAL_BYTES_HOUR: z.coerce
    .number()
    .int()
    .min(10_000)
    .default(500 * 1024 * 1024),
  /** Shared secret of the generic bounce webhook (Authorization: Bearer …); unset turns the webhook off. */
  BOUNCE_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** SNS topic ARNs (comma-separated) whose SES notifications are accepted; unset turns the SES webhook off. */
  SES_TOPIC_ARNS: commaList
    .pipe(z.array(z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be SNS topic ARNs')))
    .default([]),
  /** A running send pauses itself once it has sent this many messages and a rate below is passed. */
  AUTO_PAUSE_MIN_MESSAGES: z.coerce.number().int().min(1).default(1000),
  AUTO_PAUSE_HARD_RATE: z.coerce.number().min(0).max(1).default(0.05),
  AUTO_PAUSE_COMPLAINT_RATE: z.coerce.number().min(0).max(1).default(0.003),
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated IPs); unset: none. */
  TRUST_PROXY: commaList.pipe(z.array(z.union([z.ipv4(), z.ipv6()], 'must be IP addresses'))).default([]),
  /** Sign-ups one client IP may make per SIGNUP_IP_MINUTES. */
  SIGNUP_IP_LIMIT: z.coerce.number().int().min(1).default(5),
  SIGNUP_IP_MINUTES: z.coerce.number().positive().default(10),
  /** Confirmation mails one mailbox (lower case, +tag and Gmail dots removed) may get per SIGNUP_MAILBOX_HOURS. */
  SIGNUP_MAILBOX_LIMIT: z.coerce.number().int().min(1).default(2),
  SIGNUP_MAILBOX_HOURS: z.coerce.number().positive().default(24),
  /** Confirmation mails per hour across all sign-ups; past it none are sent and the log says so. */
  CONFIRM_MAIL_HOURLY_LIMIT: z.coerce.number().int().min(1).default(500),
  /** Host names the preview answers besides localhost, 127.0.0.1 and [::1] (comma-separated). */
  PREVIEW_HOSTS: commaList
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$/i, 'must be host names')))
    .default([]),
  /** `on` (development and tests only): link checks may reach loopback and private addresses, on any port. */
  CHECK_ALLOW_PRIVATE: onOff.default(false),
  /** Ports link checks may connect to on public addresses (comma-separated); others are not checked. */
  CHECK_ALLOWED_PORTS: z
    .string()
    .default('80,443')
    .pipe(commaList)
    .pipe(z.array(z.coerce.number<string>(PORTS).int(PORTS).min(1, PORTS).max(65535, PORTS))),
  TZ_DEFAULT: z
    .string()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'unknown time zone')
    .default('Asia/Seoul'),
  OUTBOX_DIR: z.string().default('var/outbox'),
  /** The folder of issue files (`<n>.json`, `<n>.<locale>.json`) the desk's "import issue files" reads. */
  ISSUES_DIR: z.string().default('issues'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TRACKING: onOff.default(true),
  TRACK_OPENS: onOff.default(false),
  /** More user-agent substrings (comma-separated, any case) whose clicks are a machine's, besides the built-in list (src/clicks/machine-rules.ts). */
  CLICK_MACHINE_UA: commaList.default([]),
  /** More networks (comma-separated CIDRs) whose clicks are a machine's, besides the built-in list. */
  CLICK_MACHINE_NETS: commaList
    .pipe(z.array(z.union([z.cidrv4(), z.cidrv6()], 'must be CIDR networks such as 192.0.2.0/24')))
    .default([]),
  /** The desk's own origin (scheme, host, port): it answers only this host and takes state changes only from it. Default: PUBLIC_URL's. */
  DESK_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .transform((u) => (u ? new URL(u).origin : undefined)),
  /** Four-eyes rule: whoever saved an issue last may not approve it. */
  DESK_FOUR_EYES: onOff.default(false),
  /** The issue edition the desk's routes address (docs/architecture.md "Editions"). */
  DEFAULT_LOCALE: z.enum(['ja', 'en', 'ko', 'zh']).default('ja'),
  /**
   * The edition a reader gets when the send has none in their locale (docs/architecture.md
   * "Editions"); unset, or naming a locale the send has no edition in: the default edition.
   */
  EDITION_FALLBACK: z.enum(['ja', 'en', 'ko', 'zh']).optional(),
  /** d= and s= of DKIM-Signature, written into the field as they are: DNS name characters only. */
  DKIM_DOMAIN: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name such as example.org')
    .optional(),
  DKIM_SELECTOR: z
    .string()
    .regex(/^[\w-]+(\.[\w-]+)*$/, 'must be a DNS label such as mail2026')
    .optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),
  /**
   * The OpenID Provider desk users sign in through (its issuer URL, as its discovery document says);
   * unset: no single sign-on. http only for a provider on loopback (tests, development).
   */
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/ })
    .refine(
      (u) => u.startsWith('https:') || /^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(u).hostname),
      'must be https (http only on localhost)',
    )
    .optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** The claim (of the ID token, else of userinfo) whose values OIDC_ROLES maps to roles. */
  OIDC_ROLE_CLAIM: z.string().default('groups'),
  /** `group=role,role;group=role`: which values of the role claim give which roles. */
  OIDC_ROLES: z
    .string()
    .transform((text, ctx) => {
      try {
        return parseRoleMapping(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /** The scopes asked for: `groups` where the provider sends the role claim only with it (Dex, Okta). */
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** What the sign-in button calls the provider (default: the issuer's host name). */
  OIDC_NAME: z.string().max(60).optional(),
  /** `on`: no password sign-in; single sign-on only. */
  OIDC_ONLY: onOff.default(false),
  /** `on`: every single sign-on counts as two factors (the provider enforces them itself), whatever `amr` says. */
  OIDC_TRUST_MFA: onOff.default(false),
});

type RawConfig = z.infer<typeof ConfigSchema>;
/** The parsed configuration; `GAZETTE_SECRET` is always present once resolved. */
export type Config = Omit<RawConfig, 'GAZETTE_SECRET'> & { GAZETTE_SECRET: string };

/** Thrown for a setting a person must fix; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEV_SECRET_FILE = 'var/secret';

/**
 * Reads the configuration from `env`. Throws ConfigError naming each bad variable.
 * Outside production a missing GAZETTE_SECRET is generated once into var/secret (with a warning);
 * in production its absence is an error.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  warn: (msg: string) => void = (m) => console.warn(m),
): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  checkOidc(raw);
  if (raw.REDIS_SENTINELS.length > 0 !== (raw.REDIS_SENTINEL_NAME !== undefined)) {
    throw new ConfigError(
      'Invalid configuration:\nREDIS_SENTINELS and REDIS_SENTINEL_NAME go together: set both (the sentinels, host:port,… and the name they watch the primary by) or neither (one Redis at REDIS_URL).',
    );
  }
  if (raw.REDIS_CLUSTER_NODES && raw.REDIS_SENTINELS.length > 0) {
    throw new ConfigError(
      'Invalid configuration:\nREDIS_CLUSTER_NODES and REDIS_SENTINELS exclude each other: a Redis Cluster fails over by itself, Sentinel watches one primary; set one of them.',
    );
  }
  if (raw.GAZETTE_SECRET) return { ...raw, GAZETTE_SECRET: raw.GAZETTE_SECRET };
  if (raw.NODE_ENV === 'production') {
    throw new ConfigError(
      'GAZETTE_SECRET is not set. Set it to a random string of 32+ characters (e.g. `openssl rand -hex 32`).',
    );
  }
  return { ...raw, GAZETTE_SECRET: devSecret(warn) };
}

/** Single sign-on needs its issuer, client and role mapping together; OIDC_ONLY needs single sign-on. */
function checkOidc(raw: RawConfig): void {
  const missing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLES'] as const).filter((k) => !raw[k]);
  if (raw.OIDC_ISSUER && missing.length > 0) {
    throw new ConfigError(`OIDC_ISSUER is set, so single sign-on also needs ${missing.join(', ')}.`);
  }
  if (raw.OIDC_ONLY && !raw.OIDC_ISSUER) {
    throw new ConfigError('OIDC_ONLY=on turns password sign-in off: set OIDC_ISSUER (and its client) first.');
  }
}

function devSecret(warn: (msg: string) => void): string {
  if (existsSync(DEV_SECRET_FILE)) return readFileSync(DEV_SECRET_FILE, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(DEV_SECRET_FILE), { recursive: true });
  writeFileSync(DEV_SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  warn(`GAZETTE_SECRET is not set: generated a development secret in ${DEV_SECRET_FILE}.`);
  return secret;
}

/** The desk's own origin: DESK_URL, else PUBLIC_URL's. */
export function deskOrigin(config: Pick<Config, 'DESK_URL' | 'PUBLIC_URL'>): string {
  return config.DESK_URL ?? new URL(config.PUBLIC_URL).origin;
}
