import { z } from 'zod';
import { AccountLinkPurpose } from '../../accounts/account-link-store.ts';
import {
  PasskeyAssertion as Assertion,
  PasskeyAttestation as Attestation,
} from '../../accounts/passkey-responses.ts';
import { SecondFactorMethod } from '../../accounts/second-factor-methods.ts';
import { SecondFactorPolicy } from '../../accounts/second-factor-store.ts';
import { UserEmail } from '../../accounts/user-store.ts';
import { Check as IssueCheck } from '../../issue/check.ts';
import { IssueEventKind, MAX_COMMENT } from '../../issue/issue-events.ts';
import { ISSUE_STATES } from '../../issue/issue-state.ts';
import { MessageParams } from '../../issue/message-code.ts';
import { Role } from '../../roles.ts';

import { SEND_STATES } from '../../send/record/send-state.ts';
import { FAILURE_CAUSES } from '../../send/wire/smtp-failure.ts';

/**
 * Every body and answer of the desk API (`/desk/api`, docs/architecture.md "Desk API"). The server validates
 * and documents with these (OpenAPI is generated from them); the desk web app types itself from them.
 */

export { MessageParams } from '../../issue/message-code.ts';
export { ROLES, Role } from '../../roles.ts';

/** Where an issue is in the review → approve → send workflow. */
export const IssueState = z.enum(ISSUE_STATES).meta({ id: 'IssueState' });
export type IssueState = z.infer<typeof IssueState>;

/**
 * An answer that says what went wrong: `error` in English; a refusal the desk words also has its
 * `code` and values (`msg.<code>` in src/text/messages) and `message` in the caller's language
 * (`Accept-Language`, else Japanese).
 */
export const ErrorAnswer = z
  .object({
    error: z.string(),
    code: z.string().optional(),
    params: MessageParams.optional(),
    message: z.string().optional(),
  })
  .meta({ id: 'Error' });
export type ErrorAnswer = z.infer<typeof ErrorAnswer>;

/** 409 on a stale `If-Match`: the revision now stored. */
export const StaleAnswer = ErrorAnswer.extend({ revision: z.number().int() }).meta({ id: 'Stale' });
export type StaleAnswer = z.infer<typeof StaleAnswer>;

/** 409 when the issue already went to the list: the earlier send's id. */
export const AlreadySentAnswer = ErrorAnswer.extend({ previous: z.string() }).meta({ id: 'AlreadySent' });
export type AlreadySentAnswer = z.infer<typeof AlreadySentAnswer>;

/**
 * One problem of an invalid body, by JSON path: a code and its values that the desk words in the
 * reader's language, and `message` in the caller's language (in English, the words of `gazette validate`).
 */
export const Problem = z.object({
  path: z.string(),
  code: z.string(),
  params: MessageParams,
  message: z.string(),
});
export type Problem = z.infer<typeof Problem>;
/** 422: every problem of an invalid issue or body. */
export const ValidationAnswer = z.object({ errors: z.array(Problem) }).meta({ id: 'ValidationErrors' });
export type ValidationAnswer = z.infer<typeof ValidationAnswer>;

/** A passkey's signed assertion (`navigator.credentials.get()`, as @simplewebauthn/browser sends it). */
export const PasskeyAssertion = Assertion.meta({ id: 'PasskeyAssertion' });
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;

/** A new passkey's attestation (`navigator.credentials.create()`, as @simplewebauthn/browser sends it). */
export const PasskeyAttestation = Attestation.meta({ id: 'PasskeyAttestation' });
export type PasskeyAttestation = z.infer<typeof PasskeyAttestation>;

/** WebAuthn's PublicKeyCredentialRequestOptionsJSON: what @simplewebauthn/browser's startAuthentication takes. */
export const PasskeyRequestOptions = z
  .looseObject({ challenge: z.string() })
  .meta({ id: 'PasskeyRequestOptions' });
export type PasskeyRequestOptions = z.infer<typeof PasskeyRequestOptions>;

/** WebAuthn's PublicKeyCredentialCreationOptionsJSON: what @simplewebauthn/browser's startRegistration takes. */
export const PasskeyCreationOptions = z
  .looseObject({ challenge: z.string() })
  .meta({ id: 'PasskeyCreationOptions' });
export type PasskeyCreationOptions = z.infer<typeof PasskeyCreationOptions>;

/**
 * `POST /session` body; for a user with a second factor, `code` (a TOTP code or a recovery code) or
 * `passkey` (an assertion signed over the challenge of the 401 that asked for it).
 */
export const SignIn = z
  .object({
    email: z.string().min(1).max(320),
    password: z.string().min(1).max(1024),
    code: z.string().max(64).optional(),
    passkey: PasskeyAssertion.optional(),
  })
  .meta({ id: 'SignIn' });
export type SignIn = z.infer<typeof SignIn>;

/**
 * `POST /session` 401: `secondFactor` when the password was right and the second factor is wanted;
 * `methods` are those the user has, and with a passkey among them `passkey` holds the options to
 * sign with (a challenge good for five minutes, once).
 */
export const SignInRefusal = ErrorAnswer.extend({
  secondFactor: z.boolean().optional(),
  methods: z.array(SecondFactorMethod).optional(),
  passkey: PasskeyRequestOptions.optional(),
}).meta({
  id: 'SignInRefusal',
});
export type SignInRefusal = z.infer<typeof SignInRefusal>;

/** `POST /session/passkey` body: an assertion signed over the challenge of `POST /session/passkey/options`. */
export const PasskeySignIn = z.object({ passkey: PasskeyAssertion }).meta({ id: 'PasskeySignIn' });
export type PasskeySignIn = z.infer<typeof PasskeySignIn>;

/** A passkey as its owner sees it: the name they gave it, when it was added and last used. */
export const Passkey = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .meta({ id: 'Passkey' });
export type Passkey = z.infer<typeof Passkey>;

/** `GET /me/passkeys` answer, oldest first. */
export const PasskeyList = z.object({ passkeys: z.array(Passkey) }).meta({ id: 'PasskeyList' });
export type PasskeyList = z.infer<typeof PasskeyList>;

/** `POST /me/passkeys` body: the name the user gives it and the new credential's attestation. */
export const PasskeyRegistration = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[^\p{Cc}]+$/u),
    response: PasskeyAttestation,
  })
  .meta({ id: 'PasskeyRegistration' });
export type PasskeyRegistration = z.infer<typeof PasskeyRegistration>;

/** `{id}` of a route on one passkey. */
export const PasskeyParam = z.object({
  id: z
    .string()
    .max(1400)
    .regex(/^[A-Za-z0-9_-]+$/),
});
/** `GET /sign-in-methods` answer: whether password sign-in is on, and the single sign-on's provider and start path. */
export const SignInMethods = z
  .object({
    password: z.boolean(),
    sso: z.object({ name: z.string(), path: z.string() }).nullable(),
  })
  .meta({ id: 'SignInMethods' });
export type SignInMethods = z.infer<typeof SignInMethods>;

/**
 * `GET /me/totp` answer: whether the caller has a second factor, whether the admin's policy wants one,
 * and, when this session came through single sign-on, whether the provider confirmed two factors
 * (`amr`, or OIDC_TRUST_MFA): such a session is never asked for the desk's own.
 */
export const TotpStatus = z
  .object({
    enrolled: z.boolean(),
    required: z.boolean(),
    sso: z.object({ mfa: z.boolean() }).nullable(),
  })
  .meta({ id: 'TotpStatus' });
export type TotpStatus = z.infer<typeof TotpStatus>;

/** `POST /me/totp` answer: the new secret (base32), its otpauth URI and that URI as a QR code (an SVG data URI). */
export const TotpEnrolment = z
  .object({ secret: z.string(), uri: z.string(), qr: z.string() })
  .meta({ id: 'TotpEnrolment' });
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

/** `POST /me/totp/confirm` body: a code from the new secret. */
export const TotpCode = z.object({ code: z.string().regex(/^\d{6}$/) }).meta({ id: 'TotpCode' });
export type TotpCode = z.infer<typeof TotpCode>;

/** `POST /me/totp/confirm` answer: the recovery codes, shown this once. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) }).meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

/**
 * `POST /me/confirm-identity` body: one proof that the signed-in user is who the session says, the
 * password, a code of their authenticator app (or a recovery code), or a passkey's assertion signed
 * over the challenge of `POST /me/confirm-identity/options`.
 */
export const IdentityProof = z
  .object({
    password: z.string().min(1).max(1024).optional(),
    code: z.string().min(1).max(64).optional(),
    passkey: PasskeyAssertion.optional(),
  })
  .refine((p) => [p.password, p.code, p.passkey].filter((x) => x !== undefined).length === 1, {
    message: 'give one of password, code or passkey',
    params: { code: 'one-proof' },
  })
  .meta({ id: 'IdentityProof' });
export type IdentityProof = z.infer<typeof IdentityProof>;

/** `GET|PUT /settings/second-factor`: the roles whose users must have a second factor. */
export const SecondFactorSettings = SecondFactorPolicy.meta({ id: 'SecondFactorSettings' });
export type SecondFactorSettings = z.infer<typeof SecondFactorSettings>;

/** A desk user as the API shows it (never the password hash). */
export const User = z
  .object({ email: z.string(), name: z.string(), roles: z.array(Role) })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

/** `POST /password-reset` body: the address of the account whose password is forgotten. */
export const PasswordResetAsk = z.object({ email: UserEmail }).meta({ id: 'PasswordResetAsk' });
export type PasswordResetAsk = z.infer<typeof PasswordResetAsk>;

/** `POST /password-reset` answer: the same whether the address belongs to an account or not. */
export const PasswordResetAsked = z.object({ message: z.string() }).meta({ id: 'PasswordResetAsked' });
export type PasswordResetAsked = z.infer<typeof PasswordResetAsked>;

/** The `:token` path parameter of `/password-reset/:token` (the link's last part). */
export const LinkTokenParam = z.object({ token: z.string().max(64) });

/** `GET /password-reset/:token` answer: what the link is for, whose password it sets, and the shortest password taken. */
export const AccountLinkAnswer = z
  .object({
    purpose: AccountLinkPurpose,
    email: z.string(),
    name: z.string(),
    minPassword: z.number().int(),
  })
  .meta({ id: 'AccountLink' });
export type AccountLinkAnswer = z.infer<typeof AccountLinkAnswer>;

/** `POST /password-reset/:token` body: the new password (at least MIN_PASSWORD characters, checked as `users passwd` does). */
export const NewPassword = z.object({ password: z.string().max(1024) }).meta({ id: 'NewPassword' });
export type NewPassword = z.infer<typeof NewPassword>;

/** `POST /users` body: a new member, mailed a link to choose their password (admin). */
export const InviteUser = z
  .object({
    email: UserEmail,
    // A name goes into mails and lists: one line, no control characters.
    name: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\p{Cc}]*$/u)
      .optional(),
    roles: z.array(Role).min(1).max(4),
  })
  .meta({ id: 'InviteUser' });
export type InviteUser = z.infer<typeof InviteUser>;
/** A desk user as the members page shows it (admin, `GET /users`). */
export const TeamMember = User.extend({
  disabled: z.boolean(),
  /** What they have enrolled; empty when they sign in with a password only. */
  secondFactor: z.array(SecondFactorMethod),
  /** ISO-8601 UTC instant of their last sign-in; absent when they never signed in. */
  lastSignInAt: z.string().optional(),
}).meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof TeamMember>;

/** `GET /users` answer: every desk account, by address. */
export const TeamAnswer = z.object({ users: z.array(TeamMember) }).meta({ id: 'Team' });
export type TeamAnswer = z.infer<typeof TeamAnswer>;

/** `PATCH /users/{email}` body: what changes; an absent field stays as it is. */
export const MemberChange = z
  .object({
    name: z
      .string()
      .trim()
      .max(100)
      .regex(/^[^\p{Cc}\p{Cf}]*$/u, { error: 'has control characters' })
      .optional(),
    roles: z.array(Role).min(1).max(4).optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'MemberChange' });
export type MemberChange = z.infer<typeof MemberChange>;

/** `PATCH /users/{email}` answer: the member as now stored. */
export const MemberAnswer = z.object({ user: TeamMember }).meta({ id: 'Member' });
export type MemberAnswer = z.infer<typeof MemberAnswer>;

/** One live session of a user: where and when, never its cookie. */
export const DeviceSession = z
  .object({
    /** Opaque (a digest of the cookie, which cannot be turned back into it); names it to end it. */
    id: z.string(),
    /** The browser and system, as read from its User-Agent ("Chrome 131 · Windows 10"); empty when unknown. */
    device: z.string(),
    ip: z.string(),
    /** ISO-8601 UTC instants: signed in, and last used (kept to about a minute). */
    createdAt: z.string(),
    lastSeenAt: z.string(),
    /** True for the session that asks. */
    current: z.boolean(),
  })
  .meta({ id: 'DeviceSession' });
export type DeviceSession = z.infer<typeof DeviceSession>;

/** `GET /me/sessions` answer: the caller's live sessions, the latest used first. */
export const SessionsAnswer = z.object({ sessions: z.array(DeviceSession) }).meta({ id: 'Sessions' });
export type SessionsAnswer = z.infer<typeof SessionsAnswer>;

/** The `{id}` path parameter of `DELETE /me/sessions/{id}`. */
export const SessionParam = z.object({ id: z.string().max(64) });

/** The path parameters of `DELETE /users/{email}/sessions/{id}`. */
export const MemberSessionParam = z.object({ email: z.string().max(320), id: z.string().max(64) });

/** `POST /session` and `GET /session` answer. */
export const SessionAnswer = z
  .object({
    user: User,
    /** The name readers see as the sender (MAIL_FROM's), for the preview's inbox line. */
    sender: z.string(),
  })
  .meta({ id: 'Session' });
export type SessionAnswer = z.infer<typeof SessionAnswer>;

/** `POST /users` and `POST /users/:email/invite` answer: the member invited. */
export const InvitedAnswer = z.object({ user: User }).meta({ id: 'Invited' });
export type InvitedAnswer = z.infer<typeof InvitedAnswer>;

/** An issue's JSON (see issues/201.json); checked with the same rules and words as `gazette validate`. */
export const IssueJson = z
  .record(z.string(), z.unknown())
  .meta({ id: 'IssueJson', description: 'An issue as in issues/201.json (src/issue/schema.ts).' });
export type IssueJson = z.infer<typeof IssueJson>;

/** A line of `GET /issues`. */
export const IssueSummary = z
  .object({
    number: z.number().int(),
    subject: z.string(),
    month: z.string(),
    state: IssueState,
    revision: z.number().int(),
    /** ISO-8601 UTC instant of the last save. */
    updatedAt: z.string(),
    /** E-mail of the user (or `token:<name>`) who saved last. */
    updatedBy: z.string(),
    /** Their display name (the id itself for a token or a removed user). */
    updatedByName: z.string(),
  })
  .meta({ id: 'IssueSummary' });
export type IssueSummary = z.infer<typeof IssueSummary>;

/** `GET /issues` answer. */
export const IssueListAnswer = z.object({ issues: z.array(IssueSummary) }).meta({ id: 'IssueList' });
export type IssueListAnswer = z.infer<typeof IssueListAnswer>;

/** `POST /issues` body: a whole issue, or `from` an earlier issue to scaffold the next one. */
export const CreateIssue = z
  .union([
    z.object({ issue: IssueJson }),
    z.object({ from: z.number().int().positive(), number: z.number().int().positive().optional() }),
    z
      .object({ blank: z.literal(true), number: z.number().int().positive().max(999_999_999).optional() })
      .describe('A first issue from a clean template in DEFAULT_LOCALE (number 1 unless given), this month'),
  ])
  .meta({ id: 'CreateIssue' });
export type CreateIssue = z.infer<typeof CreateIssue>;

/** Why an issue file was not imported: invalid, or its number and locale are in the desk already. */
export const SkippedIssueFile = z.object({
  file: z.string().describe('The file name in ISSUES_DIR'),
  code: z.enum(['invalid', 'exists']),
  message: z.string().describe('For `invalid`: the first problem, in the words of `gazette validate`'),
});

/** `POST /issues/import` answer: what was stored (each at revision 1, draft) and what was left. */
export const ImportedIssuesAnswer = z
  .object({
    imported: z.array(
      z.object({
        file: z.string(),
        number: z.number().int(),
        locale: z.string(),
        revision: z.number().int(),
      }),
    ),
    skipped: z.array(SkippedIssueFile),
  })
  .meta({ id: 'ImportedIssues' });
export type ImportedIssuesAnswer = z.infer<typeof ImportedIssuesAnswer>;

/** `POST /issues` answer. */
export const CreatedIssueAnswer = z
  .object({ number: z.number().int(), revision: z.number().int() })
  .meta({ id: 'CreatedIssue' });
export type CreatedIssueAnswer = z.infer<typeof CreatedIssueAnswer>;

/** One pre-send check's finding; `error` blocks approval, `warning` does not. */
export const Check = IssueCheck.meta({ id: 'Check' });
export type Check = z.infer<typeof Check>;

/** `GET /issues/:number/checks` answer. */
export const ChecksAnswer = z.object({ checks: z.array(Check) }).meta({ id: 'Checks' });
export type ChecksAnswer = z.infer<typeof ChecksAnswer>;

/** Where an edition is: a workflow state, or `missing` when the number has none in that locale. */
export const EditionState = z.enum(['missing', ...ISSUE_STATES]).meta({ id: 'EditionState' });
export type EditionState = z.infer<typeof EditionState>;

/** One edition of a number (the default edition first); `revision` is null while it is missing. */
export const EditionSummary = z
  .object({ locale: z.string(), state: EditionState, revision: z.number().int().nullable() })
  .meta({ id: 'EditionSummary' });
export type EditionSummary = z.infer<typeof EditionSummary>;

/** `GET /issues/:number` answer; `revision` goes back in `If-Match` when saving. */
export const IssueAnswer = z
  .object({
    issue: IssueJson,
    state: IssueState,
    revision: z.number().int(),
    checks: z.array(Check),
    editions: z.array(EditionSummary),
  })
  .meta({ id: 'Issue' });
export type IssueAnswer = z.infer<typeof IssueAnswer>;

/** `PUT /issues/:number` answer. */
export const SavedAnswer = z.object({ revision: z.number().int(), state: IssueState }).meta({ id: 'Saved' });
export type SavedAnswer = z.infer<typeof SavedAnswer>;

/** One kept save of an issue. */
export const Revision = z
  .object({ revision: z.number().int(), at: z.string(), by: z.string() })
  .meta({ id: 'Revision' });
export type Revision = z.infer<typeof Revision>;

/** `GET /issues/:number/revisions` answer, oldest first. */
export const RevisionsAnswer = z.object({ revisions: z.array(Revision) }).meta({ id: 'Revisions' });
export type RevisionsAnswer = z.infer<typeof RevisionsAnswer>;

/** `POST /issues/:number/review|approve` answer. */
export const StateAnswer = z.object({ state: IssueState }).meta({ id: 'IssueStateAnswer' });
export type StateAnswer = z.infer<typeof StateAnswer>;

/** `GET /issues/:number/preview` query. */
export const PreviewQuery = z.object({
  width: z.enum(['600', '375']).default('600'),
  format: z.enum(['html', 'text']).default('html'),
});
export type PreviewQuery = z.infer<typeof PreviewQuery>;

/** The `:number` path parameter of every `/issues/:number…` route. */
export const NumberParam = z.object({ number: z.string().regex(/^[1-9]\d{0,8}$/) });

/** `PUT /issues/:number` headers: the revision the save was made from. */
export const IfMatchHeader = z.object({ 'if-match': z.string().optional() });

/** The `:number` and `:revision` path parameters of one revision. */
export const RevisionParams = NumberParam.extend({ revision: z.string().regex(/^\d{1,9}$/) });

/** `GET /issues/:number/revisions/:revision` answer: the issue JSON as saved in that revision. */
export const RevisionAnswer = z
  .object({ revision: z.number().int(), issue: IssueJson })
  .meta({ id: 'Revision' });
export type RevisionAnswer = z.infer<typeof RevisionAnswer>;

/** `POST /issues/:number/comments` and `/request-changes` body: plain text, shown escaped. */
export const CommentBody = z
  .object({
    comment: z.string().trim().min(1, 'is empty').max(MAX_COMMENT, `is over ${MAX_COMMENT} characters`),
  })
  .meta({ id: 'CommentBody' });

/** One comment as the desk shows it: when, who (id and display name), the words. */
export const Comment = z
  .object({ at: z.string(), by: z.string(), name: z.string(), text: z.string(), kind: IssueEventKind })
  .meta({ id: 'Comment' });

/** `GET /issues/:number/comments` answer, oldest first (change requests included). */
export const CommentsAnswer = z.object({ comments: z.array(Comment) }).meta({ id: 'Comments' });
export type CommentsAnswer = z.infer<typeof CommentsAnswer>;

/** One line of an issue's history: a save, a review request, a change request, an approval, a send. */
export const TimelineEntry = z
  .object({
    at: z.string(),
    by: z.string(),
    name: z.string(),
    kind: z.enum(['save', ...IssueEventKind.options, 'sent']),
    revision: z.number().int().optional(),
    text: z.string().optional(),
    sendId: z.string().optional(),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** `GET /issues/:number/timeline` answer, oldest first. */
export const TimelineAnswer = z.object({ timeline: z.array(TimelineEntry) }).meta({ id: 'Timeline' });
export type TimelineAnswer = z.infer<typeof TimelineAnswer>;

/** `POST /issues/:number/preview` body: an unsaved draft. */
export const DraftPreviewBody = z
  .object({ issue: z.unknown().meta({ description: 'The draft issue JSON, saved or not.' }) })
  .meta({ id: 'DraftPreviewBody' });

/** Its answer: where the compiled HTML is framed from, the text, the size against Gmail's clip, the lint. */
export const DraftPreview = z
  .object({
    id: z.string(),
    html: z.string(),
    text: z.string(),
    bytes: z.number().int(),
    clipBytes: z.number().int(),
    warnings: z.array(
      z.object({ code: z.string(), params: MessageParams, message: z.string(), path: z.string().optional() }),
    ),
  })
  .meta({ id: 'DraftPreview' });
export type DraftPreview = z.infer<typeof DraftPreview>;

/** A draft preview's id, as `POST /issues/:number/preview` answers it. */
export const PreviewId = z.string().regex(/^[\w-]{32}$/);

/** `GET /previews/:id` path: any id is taken (one that is not a PreviewId is 404, as an expired one). */
export const PreviewPageParams = z.object({
  id: z.string().meta({ description: 'The id of a draft preview' }),
});

/** An image in an issue's folder: `src` as the issue JSON names it, and the size to show it at. */
export const StoredImage = z
  .object({ src: z.string(), width: z.number().int(), height: z.number().int() })
  .meta({ id: 'StoredImage' });
export type StoredImage = z.infer<typeof StoredImage>;

/** `GET /issues/:number/images` answer: the folder's images, by file name. */
export const ImageListAnswer = z.object({ images: z.array(StoredImage) }).meta({ id: 'ImageList' });
export type ImageListAnswer = z.infer<typeof ImageListAnswer>;

/** `POST /issues/:number/images` query: what the uploader's computer calls the file (made safe). */
export const ImageUploadQuery = z.object({ name: z.string().optional() });

/** `POST /issues/:number/images` body: the file itself, any of these types (read by its content). */
export const ImageBody = z.string().meta({ format: 'binary' });

/** `POST /sends` body: schedule issue `issue` for `list`, or with `test` send it now to a few addresses. */
export const CreateSend = z
  .object({
    issue: z.number().int().positive(),
    list: z.string().min(1).max(64).default('default'),
    /** ISO-8601; without an offset read in TZ_DEFAULT; absent: now. */
    at: z.string().max(64).optional(),
    test: z.array(z.email()).min(1).max(10).optional(),
    resend: z.literal(true).optional(),
  })
  .meta({ id: 'CreateSend' });
export type CreateSend = z.infer<typeof CreateSend>;

/** `POST /sends` answer (a test send: the first test send's id). */
export const SendCreatedAnswer = z
  .object({
    id: z.string(),
    recipients: z.number().int(),
    /** The editions that go (approved ones only, the default edition first); absent for a test send. */
    editions: z.array(z.string()).optional(),
    /** The editions that exist but stay behind because they are not approved. */
    leftOut: z.array(z.string()).optional(),
  })
  .meta({ id: 'SendCreated' });
export type SendCreatedAnswer = z.infer<typeof SendCreatedAnswer>;

/** A send's state and counts: the `gazette status --json` object. */
export const SendStatus = z
  .object({
    id: z.string(),
    state: z.enum(SEND_STATES),
    total: z.number().int(),
    queued: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    bounced: z.number().int(),
    unsubscribed: z.number().int(),
  })
  .meta({ id: 'SendStatus' });
export type SendStatus = z.infer<typeof SendStatus>;

/** A send as the desk lists it: the status figures and which issue went to which list, when (UTC). */
export const SendSummary = SendStatus.extend({
  issue: z.number().int(),
  subject: z.string(),
  list: z.string().meta({ description: 'Empty for a test send' }),
  at: z.iso.datetime().meta({ description: 'When it is (or was) due' }),
  startedAt: z.iso.datetime().nullable(),
  doneAt: z.iso.datetime().nullable(),
  test: z.boolean().meta({ description: 'A test send: never counted with the real sends' }),
}).meta({ id: 'SendSummary' });
export type SendSummary = z.infer<typeof SendSummary>;

/** `GET /sends` query: only one issue's sends, only sends in one state. */
export const SendListQuery = z.object({
  issue: z.coerce.number().int().positive().optional(),
  state: z.enum(SEND_STATES).optional(),
});

/** `GET /sends` answer, newest first. */
export const SendListAnswer = z.object({ sends: z.array(SendSummary) }).meta({ id: 'SendList' });
export type SendListAnswer = z.infer<typeof SendListAnswer>;

/** `POST /sends/:id/reschedule` body: the new time (ISO-8601; without an offset, read in TZ_DEFAULT). */
export const RescheduleSend = z.object({ at: z.string().min(1).max(40) }).meta({ id: 'RescheduleSend' });
export type RescheduleSend = z.infer<typeof RescheduleSend>;

/** `POST /sends/:id/reschedule` answer: the new due time (UTC). */
export const RescheduledAnswer = z.object({ at: z.iso.datetime() }).meta({ id: 'RescheduledAnswer' });
export type RescheduledAnswer = z.infer<typeof RescheduledAnswer>;

/** `POST /sends/:id/pause|resume|cancel` answer: the state after. */
export const SendStateAnswer = z.object({ state: z.enum(SEND_STATES) }).meta({ id: 'SendStateAnswer' });
export type SendStateAnswer = z.infer<typeof SendStateAnswer>;

/** The `:id` path parameter of every `/sends/:id…` route. */
export const SendIdParam = z.object({ id: z.string().regex(/^[a-z][a-z0-9]{1,40}$/) });

const minuteCounts = z.array(z.tuple([z.number(), z.number()]));

/** How a send went: the `gazette report --json` object. */
export const SendReport = z
  .object({
    id: z.string(),
    issue: z.number().int(),
    subject: z.string(),
    state: z.string(),
    total: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    bounced: z.number().int(),
    bouncesByReason: z.record(z.string(), z.number()),
    unsubscribed: z.number().int(),
    complaints: z.number().int(),
    uniqueClicks: z.number().int(),
    clickRate: z.number(),
    totalClicks: z.number().int(),
    /** Machines' clicks (link scanners, prefetches), apart from the people's figures above. */
    machineClicks: z.number().int(),
    failures: z.array(
      z.object({
        cause: z.enum(FAILURE_CAUSES),
        count: z.number().int(),
        replies: z.array(z.object({ words: z.string(), count: z.number().int() })),
      }),
    ),
    passes: z.array(
      z.object({
        pass: z.number().int(),
        at: z.number().nullable(),
        recipients: z.number().int(),
        delivered: z.number().int(),
        failed: z.number().int(),
        skipped: z.number().int(),
        failedBy: z.partialRecord(z.enum(FAILURE_CAUSES), z.number().int()),
      }),
    ),
    /** Clicked links, most clicked first; `title` names what the reader clicked (empty when unknown). */
    links: z.array(
      z.object({
        linkId: z.string(),
        title: z.string(),
        url: z.string(),
        total: z.number().int(),
        unique: z.number().int(),
        machine: z.number().int(),
      }),
    ),
    /** The figures of each edition, by locale (a send before editions: its one locale). */
    editions: z.record(
      z.string(),
      z.object({
        delivered: z.number().int(),
        failed: z.number().int(),
        bounced: z.number().int(),
        uniqueClicks: z.number().int(),
        clickRate: z.number(),
        /** People of this edition who clicked each link, by link id. */
        links: z.record(z.string(), z.number().int()),
      }),
    ),
    timeline: z.object({
      firstDelivery: z.number().nullable(),
      lastDelivery: z.number().nullable(),
      averagePerSecond: z.number(),
      peakPerSecond: z.number(),
      deliveries: minuteCounts,
      clicks: minuteCounts,
    }),
  })
  .meta({ id: 'SendReport' });
export type SendReport = z.infer<typeof SendReport>;

/** `GET /lists` answer: each list's members (any status) and how many of them are active (mail goes to those). */
export const ListsAnswer = z
  .object({
    lists: z.array(z.object({ name: z.string(), members: z.number().int(), active: z.number().int() })),
  })
  .meta({ id: 'Lists' });
export type ListsAnswer = z.infer<typeof ListsAnswer>;

/** `POST /lists` body: a new list's name (letters, digits, - _ . ; lower-cased). */
export const CreateList = z.object({ name: z.string().max(64) }).meta({ id: 'CreateList' });
export type CreateList = z.infer<typeof CreateList>;

/** `POST /lists` answer: the name as stored. */
export const ListCreatedAnswer = z.object({ name: z.string() }).meta({ id: 'ListCreated' });

/** The `:email` path parameter of every `/subscribers/:email…` route. */
export const EmailParam = z.object({ email: z.string().max(320) });

/** `POST /subscribers/import` query: the list the rows go to. */
export const ImportQuery = z.object({ list: z.string().max(64).optional() });

const EXPORT_FORMATS = ['csv', 'jsonl'] as const;

/** `GET /subscribers/export` query: the format (anything but `jsonl` is CSV) and one list, or all. */
export const ExportQuery = z.object({
  // zod-to-openapi cannot draw a `catch`: its type is spelled out for the document.
  format: z
    .enum(EXPORT_FORMATS)
    .catch('csv')
    .meta({
      type: 'string',
      enum: [...EXPORT_FORMATS],
      default: 'csv',
      description: 'CSV (the columns `subscribers import` reads back) or one JSON object a line',
    }),
  list: z.string().optional().meta({ description: 'Only the subscribers of this list' }),
});

/** `POST /subscribers` body: one person an admin adds (with their consent on record), on at least one list. */
export const AddSubscriber = z
  .object({
    email: z.string().max(320),
    name: z.string().max(400).optional(),
    locale: z.string().max(8).optional(),
    lists: z.array(z.string().max(64)).min(1).max(20),
  })
  .meta({ id: 'AddSubscriber' });
export type AddSubscriber = z.infer<typeof AddSubscriber>;

/** `POST /subscribers` answer: added, or updated when the address was already there. */
export const SubscriberAddedAnswer = z
  .object({ email: z.string(), outcome: z.enum(['added', 'updated', 'unchanged']) })
  .meta({ id: 'SubscriberAdded' });
export type SubscriberAddedAnswer = z.infer<typeof SubscriberAddedAnswer>;

/** `PATCH /subscribers/:email` body: what changes; `lists` is the whole set of lists afterwards. */
export const EditSubscriber = z
  .object({
    name: z.string().max(400).optional(),
    locale: z.string().max(8).optional(),
    lists: z.array(z.string().max(64)).max(20).optional(),
  })
  .meta({ id: 'EditSubscriber' });
export type EditSubscriber = z.infer<typeof EditSubscriber>;

/** `POST /subscribers/:email/unsubscribe` body: why, as the person or the admin put it. */
export const UnsubscribeBody = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'Unsubscribe' });
export type UnsubscribeBody = z.infer<typeof UnsubscribeBody>;

/** `POST /subscribers/:email/unsubscribe` answer: `changed`, or `already` when the person had left. */
export const UnsubscribedAnswer = z
  .object({ outcome: z.enum(['changed', 'already']) })
  .meta({ id: 'Unsubscribed' });

/** `GET /subscribers` query: `q` a part of the address or name, `cursor` from the previous page. */
export const SubscribersQuery = z.object({
  q: z.string().max(320).optional(),
  list: z.string().max(64).optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
});
export type SubscribersQuery = z.infer<typeof SubscribersQuery>;

/** A subscriber as the desk lists them. */
export const SubscriberRow = z
  .object({
    email: z.string(),
    name: z.string(),
    locale: z.string(),
    status: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'SubscriberRow' });
export type SubscriberRow = z.infer<typeof SubscriberRow>;

/** `GET /subscribers` answer; `cursor` is null on the last page. */
export const SubscriberPageAnswer = z
  .object({ subscribers: z.array(SubscriberRow), cursor: z.string().nullable() })
  .meta({ id: 'SubscriberPage' });
export type SubscriberPageAnswer = z.infer<typeof SubscriberPageAnswer>;

/** `GET /subscribers/:email` answer: the `subscribers show --json` object. */
export const SubscriberHistory = z
  .looseObject({
    email: z.string(),
    subscriber: z.record(z.string(), z.unknown()).nullable(),
    lists: z.array(z.string()),
    consentWording: z.string().nullable(),
    suppression: z.object({ reason: z.string(), at: z.string() }).nullable(),
    softBounces: z.object({ count: z.number(), limit: z.number(), days: z.number() }),
    events: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'SubscriberHistory' });
export type SubscriberHistory = z.infer<typeof SubscriberHistory>;

/** `POST /subscribers/import?list=` answer: the import summary `gazette subscribers import` prints. */
export const ImportSummary = z
  .object({
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    suppressed: z.number().int(),
    rejected: z.array(
      z.object({
        line: z.number().int(),
        reason: z.string(),
        code: z.string(),
        params: MessageParams,
        path: z.string().optional(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummary>;

/** One audited state change: who did what to which thing, when. */
export const AuditEvent = z
  .object({ at: z.string(), user: z.string(), action: z.string(), target: z.string() })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

/** `GET /audit?since=` query: an ISO instant or `7d`, `12h`. */
export const AuditQuery = z.object({ since: z.string().max(64).optional() });

/** `GET /audit` answer, oldest first. */
export const AuditAnswer = z.object({ events: z.array(AuditEvent) }).meta({ id: 'Audit' });
export type AuditAnswer = z.infer<typeof AuditAnswer>;

/** `GET /issues/:number/editions/:locale` answer: the edition and, for the translator's view, its base. */
export const EditionAnswer = z
  .object({
    issue: IssueJson,
    state: IssueState,
    revision: z.number().int(),
    checks: z.array(Check),
    /** The default edition's revision this revision was translated from (null: not recorded). */
    basedOn: z.number().int().nullable(),
    /** The default edition's JSON in revision `basedOn`, to tell which of its texts changed since. */
    based: IssueJson.nullable(),
  })
  .meta({ id: 'Edition' });
export type EditionAnswer = z.infer<typeof EditionAnswer>;

/** `PUT /issues/:number/editions/:locale` query: the default edition's revision the translator worked from. */
export const EditionSaveQuery = z.object({
  basedOn: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional()
    .meta({ description: "The default edition's revision shown beside the fields (default: its latest)" }),
});

/** `POST /issues/:number/editions` body: the locale of the edition to add. */
export const AddEdition = z.object({ locale: z.string().min(2).max(8) }).meta({ id: 'AddEdition' });
export type AddEdition = z.infer<typeof AddEdition>;

/** `POST /issues/:number/editions` answer. */
export const AddedEditionAnswer = z
  .object({ locale: z.string(), revision: z.number().int() })
  .meta({ id: 'AddedEdition' });
export type AddedEditionAnswer = z.infer<typeof AddedEditionAnswer>;
