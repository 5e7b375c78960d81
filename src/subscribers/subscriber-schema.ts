import { z } from 'zod';
import { LOCALES, Locale } from '../issue/schema.ts';
import { normaliseEmail, quote } from './email.ts';

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export const SubscriberStatus = z.enum(SUBSCRIBER_STATUSES);
export type SubscriberStatus = z.infer<typeof SubscriberStatus>;

/** Statuses that mean the person left or cannot receive mail; their address is suppressed. */
export const LEFT_STATUSES: readonly SubscriberStatus[] = ['unsubscribed', 'bounced', 'complained'];

export const ConsentSource = z.enum(['import', 'form', 'api']);
export type ConsentSource = z.infer<typeof ConsentSource>;

/** How a subscriber agreed to receive mail: where, when, from which IP or by which importer, to what words. */
export const Consent = z.object({
  source: ConsentSource,
  at: z.iso.datetime(),
  /** The IP address of a form or API request, or `cli:<user>` for an import. */
  by: z.string(),
  /** Key of the wording in the store's wording table (see `SubscriberStore.wordings`). */
  wordingId: z.string(),
  /** The URL of the form that showed the wording ('' for imports and older records). */
  formUrl: z.string(),
});
export type Consent = z.infer<typeof Consent>;

/** How a subscriber left: `via` one-click, page, mailto, cli, bounce or complaint; `sendId` is '0' when none. */
export const Departure = z.object({
  via: z.string(),
  at: z.iso.datetime(),
  by: z.string(),
  sendId: z.string(),
  /** Why, in the words of whoever recorded it (the desk asks an admin); '' when no one said. */
  reason: z.string(),
});
export type Departure = z.infer<typeof Departure>;

/** A stored subscriber. List membership is kept apart (see `SubscriberStore.listsOf`). */
export const Subscriber = z.object({
  id: z.number().int().positive(),
  email: z.string(),
  name: z.string(),
  locale: Locale,
  status: SubscriberStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  consent: Consent.nullable(),
  left: Departure.nullable(),
});
export type Subscriber = z.infer<typeof Subscriber>;

/** A normalised e-mail address; the error names the value. */
export const EmailAddress = z.string().transform((value, ctx) => {
  const result = normaliseEmail(value);
  if (result.ok) return result.email;
  ctx.addIssue({
    code: 'custom',
    message: result.reason,
    input: value,
    params: { code: 'email-address', value },
  });
  return z.NEVER;
});

/** A list name: lower-cased; letters, digits, `_`, `.` and `-`. */
export const ListName = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(v), {
    error: (iss) => `${quote(String(iss.input))} is not a valid list name (letters, digits, - _ . only)`,
  });
export type ListName = z.infer<typeof ListName>;

/** The list everything goes to when no list is named. */
export const DEFAULT_LIST = 'default';

const MAX_NAME = 200;

/** A display name: Unicode NFC, control characters and runs of white space made one space. */
export const DisplayName = z
  .string()
  .transform((v) =>
    v
      .normalize('NFC')
      .replace(/[\s\p{Cc}]+/gu, ' ')
      .trim(),
  )
  .refine((v) => v.length <= MAX_NAME, `the name is longer than ${MAX_NAME} characters`);

/** A locale given by a person: trimmed and lower-cased; the error lists the supported ones. */
export const LocaleInput = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum(LOCALES, {
      error: (iss) => `${quote(String(iss.input))} is not a supported locale (${LOCALES.join(', ')})`,
    }),
  );

/** One subscriber as an import row, `subscribers add` or an API call gives it. */
export const SubscriberInput = z.object({
  email: EmailAddress,
  name: DisplayName.optional(),
  locale: LocaleInput.optional(),
  lists: z.array(ListName).default([]),
  /** Only from files this tool exported: a person who left stays suppressed when the file is imported again. */
  status: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.enum(SUBSCRIBER_STATUSES, {
        error: (iss) => `${quote(String(iss.input))} is not a status (${SUBSCRIBER_STATUSES.join(', ')})`,
      }),
    )
    .optional(),
});
export type SubscriberInput = z.infer<typeof SubscriberInput>;
