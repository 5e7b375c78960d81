import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { editionIdProblems } from '../../../issue/editions/edition-ids.ts';
import { blankEdition, textsOf } from '../../../issue/editions/translation.ts';
import { LOCALES, Locale } from '../../../issue/schema.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { ANY_ROLE, audit, INVALID, json, MISSING, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import {
  AddEdition,
  AddedEditionAnswer,
  EditionAnswer,
  EditionSaveQuery,
  ErrorAnswer,
  IssueJson,
  NumberParam,
  type Problem,
  SavedAnswer,
  StaleAnswer,
  StateAnswer,
  ValidationAnswer,
} from '../schemas.ts';
import { editionChecks } from './edition-state.ts';
import { ifMatch } from './issue-routes.ts';
import { schemaProblems, settledState } from './issue-workflow.ts';

/** The `:number` and `:locale` path parameters of an edition. */
const EditionParams = NumberParam.extend({ locale: Locale });

/** The fields a save stores beside the JSON; the texts may still be empty while it is translated. */
const EditionHead = z.object({ number: z.number(), locale: Locale, subject: z.string(), month: z.string() });

const noEdition = (n: number, locale: string) =>
  refusal('no-edition', { number: n, locale }, `Issue ${n} has no ${locale} edition.`);

const DEFAULT_NOTE = 'The default edition is addressed without a locale (`/issues/{number}`).';

const addRoute = createRoute({
  method: 'post',
  path: '/issues/{number}/editions',
  summary:
    "Add an edition in another locale: the default edition's structure, ids, links and images, every text empty",
  ...secured(...ANY_ROLE),
  request: { params: NumberParam, body: { ...json(AddEdition, 'The locale'), required: true } },
  responses: {
    201: json(AddedEditionAnswer, 'Stored at revision 1, state draft'),
    409: json(ErrorAnswer, 'The edition exists'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/issues/{number}/editions/{locale}',
  summary: `An edition, its state, revision (for If-Match), checks and the default edition it was translated from. ${DEFAULT_NOTE}`,
  ...secured(...ANY_ROLE),
  request: { params: EditionParams },
  responses: { 200: json(EditionAnswer, 'The edition'), ...MISSING, ...REFUSALS },
});

const putRoute = createRoute({
  method: 'put',
  path: '/issues/{number}/editions/{locale}',
  summary:
    'Save an edition: without If-Match it is created (428 when it exists), with If-Match a new revision (an approved edition returns to draft). Empty texts are allowed (untranslated); an article id the default edition lacks is refused',
  ...secured(...ANY_ROLE),
  request: {
    params: EditionParams,
    query: EditionSaveQuery,
    headers: z.object({ 'if-match': z.string().optional() }),
    body: { ...json(IssueJson, 'The whole edition JSON'), required: true },
  },
  responses: {
    200: json(SavedAnswer, 'Saved'),
    201: json(SavedAnswer, 'Created'),
    409: json(StaleAnswer, 'Someone saved in between (or the edition is scheduled or sent)'),
    422: json(ValidationAnswer, 'Invalid edition: the paths and words of `gazette validate`'),
    428: json(ErrorAnswer, 'The edition exists: If-Match is required'),
    ...MISSING,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const stepRoute = (step: 'review' | 'approve') =>
  createRoute({
    method: 'post',
    path: `/issues/{number}/editions/{locale}/${step}`,
    summary:
      step === 'review'
        ? 'Ask for review of an edition (draft → in_review)'
        : 'Approve an edition under review (editor); refused while a check fails at level error (an untranslated text is one)',
    ...secured(...(step === 'review' ? ANY_ROLE : (['editor'] as const))),
    request: { params: EditionParams },
    responses: {
      200: json(StateAnswer, step === 'review' ? 'In review' : 'Approved'),
      409: json(ErrorAnswer, 'Not in the state the step starts from, or a check fails'),
      ...MISSING,
      ...REFUSALS,
    },
  });

/**
 * A translated edition's body checked for saving: `gazette validate`'s problems but empty texts (the
 * checks call them untranslated), the number and locale the address names, and no article id the
 * default edition lacks.
 */
function parseEdition(body: unknown, n: number, locale: string, base: unknown) {
  const texts = textsOf(body);
  const errors: Problem[] = schemaProblems(body, (p) => p.code === 'empty' && texts.has(p.path));
  if (errors.length > 0) return { ok: false as const, errors };
  const head = EditionHead.parse(body);
  if (head.number !== n) {
    errors.push({
      path: 'number',
      code: 'wrong-number',
      params: { number: n },
      message: `must be ${n}, the issue this address names`,
    });
  }
  if (head.locale !== locale) {
    errors.push({
      path: 'locale',
      code: 'wrong-edition-locale',
      params: { locale },
      message: `must be ${locale}, the edition this address names`,
    });
  }
  errors.push(...editionIdProblems(base, body).errors);
  return errors.length > 0 ? { ok: false as const, errors } : { ok: true as const, head };
}

/** The editions of an issue in other locales: add, read, save (If-Match), review, approve. */
export function editionRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const first = deps.config.DEFAULT_LOCALE;
  const base = (n: number) => deps.issues.get(n, first);
  const isDefault = (c: Context, n: number, locale: string) =>
    locale === first ? c.json(refusal('default-edition', { number: n }, DEFAULT_NOTE), 404) : null;

  api.openapi(addRoute, async (c) => {
    const n = Number(c.req.valid('param').number);
    const { locale } = c.req.valid('json');
    if (!(LOCALES as readonly string[]).includes(locale) || locale === first) {
      const message = `must be one of ${LOCALES.filter((l) => l !== first).join(', ')}`;
      return c.json({ errors: [{ path: 'locale', code: 'one-of', params: {}, message }] }, 422);
    }
    const stored = await base(n);
    if (!stored) return c.json(refusal('no-issue', { number: n }, `There is no issue ${n}.`), 404);
    const edition = blankEdition(stored.json, locale);
    const saved = await deps.issues.create(EditionHead.parse(edition), edition, c.get('caller').id);
    if (saved.status !== 'ok')
      return c.json(
        refusal('edition-exists', { number: n, locale }, `Issue ${n} has a ${locale} edition already.`),
        409,
      );
    await deps.issues.setBasedOn(n, locale, saved.revision, stored.revision);
    await audit(deps, c, 'edition.create', `issue:${n}/${locale}`);
    return c.json({ locale, revision: saved.revision }, 201);
  });

  api.openapi(getRoute, async (c) => {
    const { number, locale } = c.req.valid('param');
    const n = Number(number);
    const refused = isDefault(c, n, locale);
    if (refused) return refused;
    const [own, stored] = await Promise.all([base(n), deps.issues.get(n, locale)]);
    if (!own || !stored) return c.json(noEdition(n, locale), 404);
    const basedOn = await deps.issues.basedOn(n, locale, stored.revision);
    const based = basedOn === null ? null : await deps.issues.revision(n, first, basedOn);
    c.header('ETag', `"${stored.revision}"`);
    return c.json(
      {
        issue: stored.json as IssueJson,
        state: await settledState(deps, stored),
        revision: stored.revision,
        checks: await editionChecks(deps, own.json, stored.json),
        basedOn,
        based: (based ?? null) as IssueJson | null,
      },
      200,
    );
  });

  api.openapi(putRoute, async (c) => {
    const { number, locale } = c.req.valid('param');
    const n = Number(number);
    const refused = isDefault(c, n, locale);
    if (refused) return refused;
    const own = await base(n);
    if (!own) return c.json(refusal('no-issue', { number: n }, `There is no issue ${n}.`), 404);
    const body = c.req.valid('json');
    const parsed = parseEdition(body, n, locale, own.json);
    if (!parsed.ok) return c.json({ errors: parsed.errors }, 422);
    const by = c.get('caller').id;
    const expected = ifMatch(c);
    const saved =
      expected === null
        ? await deps.issues.create(parsed.head, body, by)
        : await deps.issues.update(parsed.head, body, by, expected);
    switch (saved.status) {
      case 'exists':
        return c.json(
          { error: `The ${locale} edition exists: send If-Match with the revision you edited.` },
          428,
        );
      case 'missing':
        return c.json(
          refusal(
            'no-edition',
            { number: n, locale },
            `Issue ${n} has no ${locale} edition; PUT it without If-Match.`,
          ),
          404,
        );
      case 'stale':
        return c.json(
          { error: `The ${locale} edition was saved by someone else in between.`, revision: saved.revision },
          409,
        );
      case 'locked': {
        const current = (await deps.issues.get(n, locale))?.revision ?? expected ?? 0;
        return c.json(
          {
            error: `The ${locale} edition is ${saved.state}; it can no longer be edited.`,
            revision: current,
          },
          409,
        );
      }
    }
    const basedOn = c.req.valid('query').basedOn;
    await deps.issues.setBasedOn(n, locale, saved.revision, basedOn ? Number(basedOn) : own.revision);
    await audit(deps, c, 'edition.save', `issue:${n}/${locale}@${saved.revision}`);
    c.header('ETag', `"${saved.revision}"`);
    return c.json({ revision: saved.revision, state: saved.state }, expected === null ? 201 : 200);
  });

  api.openapi(stepRoute('review'), async (c) => {
    const { number, locale } = c.req.valid('param');
    const n = Number(number);
    const moved = await deps.issues.move(n, locale, 'in_review', ['draft', 'in_review']);
    if (moved.status === 'missing') return c.json(noEdition(n, locale), 404);
    if (moved.status === 'refused') {
      return c.json(
        refusal(
          'edition-not-draft',
          { locale, issueState: moved.state },
          `The ${locale} edition is ${moved.state}, not a draft.`,
        ),
        409,
      );
    }
    if (moved.before !== 'in_review') {
      await audit(deps, c, 'edition.review', `issue:${n}/${locale}`);
      await deps.issueEvents.add(n, locale, { by: c.get('caller').id, kind: 'review' });
    }
    return c.json({ state: 'in_review' as const }, 200);
  });

  api.openapi(stepRoute('approve'), async (c) => {
    const { number, locale } = c.req.valid('param');
    const n = Number(number);
    const [own, stored] = await Promise.all([base(n), deps.issues.get(n, locale)]);
    if (!own || !stored) return c.json(noEdition(n, locale), 404);
    const state = await settledState(deps, stored);
    if (state === 'approved') return c.json({ state }, 200);
    if (state !== 'in_review') {
      return c.json(
        refusal(
          'edition-not-in-review',
          { locale, issueState: state },
          `The ${locale} edition is ${state}; ask for review first.`,
        ),
        409,
      );
    }
    const caller = c.get('caller');
    if (deps.config.DESK_FOUR_EYES && stored.updatedBy === caller.id) {
      return c.json(
        { error: `Four eyes: ${caller.id} saved the last revision; someone else approves.` },
        409,
      );
    }
    const failing = (await editionChecks(deps, own.json, stored.json)).filter((k) => k.level === 'error');
    if (failing.length > 0) {
      const f = failing[0];
      const error = `${failing.length} check(s) fail: ${f?.path ?? f?.id}: ${f?.message}`;
      return c.json(refusal('checks-fail', { count: failing.length }, error), 409);
    }
    const moved = await deps.issues.move(n, locale, 'approved', ['in_review'], { revision: stored.revision });
    if (moved.status !== 'ok') {
      const error = `The ${locale} edition changed while it was being checked; try again.`;
      return c.json(refusal('edition-changed', { locale }, error), 409);
    }
    await audit(deps, c, 'edition.approve', `issue:${n}/${locale}@${stored.revision}`);
    await deps.issueEvents.add(n, locale, { by: caller.id, kind: 'approve' });
    return c.json({ state: 'approved' as const }, 200);
  });
}
