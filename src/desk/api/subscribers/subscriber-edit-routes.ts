import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { editSubscriber } from '../../../subscribers/edit-subscriber.ts';
import {
  DisplayName,
  ListName,
  LocaleInput,
  SubscriberInput,
} from '../../../subscribers/subscriber-schema.ts';
import { upsertSubscribers } from '../../../subscribers/upsert.ts';
import { refusal } from '../caller-language.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, INVALID, json, MISSING, problems, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import {
  AddSubscriber,
  EditSubscriber,
  EmailParam,
  ErrorAnswer,
  SubscriberAddedAnswer,
  UnsubscribeBody,
  UnsubscribedAnswer,
} from '../schemas.ts';

const addRoute = createRoute({
  method: 'post',
  path: '/subscribers',
  summary: 'Add one person, or update them when the address is stored (admin); someone who left stays out',
  ...secured('admin'),
  request: { body: { ...json(AddSubscriber, 'The person'), required: true } },
  responses: {
    200: json(SubscriberAddedAnswer, 'What happened'),
    409: json(ErrorAnswer, 'The address is suppressed or the person left'),
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const editRoute = createRoute({
  method: 'patch',
  path: '/subscribers/{email}',
  summary: "Change a person's name, locale or lists (admin); their status stays",
  ...secured('admin'),
  request: { params: EmailParam, body: { ...json(EditSubscriber, 'What changes'), required: true } },
  responses: {
    204: { description: 'Changed' },
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const unsubscribeRoute = createRoute({
  method: 'post',
  path: '/subscribers/{email}/unsubscribe',
  summary: 'Unsubscribe a person with the reason on record and suppress the address (admin)',
  ...secured('admin'),
  request: { params: EmailParam, body: { ...json(UnsubscribeBody, 'Why'), required: true } },
  responses: {
    200: json(UnsubscribedAnswer, 'Done, or the person had already left'),
    ...MISSING,
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

/** The domain's reading of an edit: the same name, locale and list rules as an import row. */
const EditInput = z.object({
  name: DisplayName.optional(),
  locale: LocaleInput.optional(),
  lists: z.array(ListName).optional(),
});

/** Adding one person, editing them and unsubscribing them from the desk (admin). */
export function subscriberEditRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const { subscribers } = deps;
  const missing = (email: string) =>
    refusal('unknown-person', { email }, `Gazette knows nothing about ${email}.`);

  api.openapi(addRoute, async (c) => {
    const row = SubscriberInput.safeParse(c.req.valid('json'));
    if (!row.success) return c.json({ errors: problems(row.error) }, 422);
    const caller = c.get('caller');
    const wordingId = await subscribers.saveWording(`Added in the desk by ${caller.id}`);
    const [outcome = 'unchanged'] = await upsertSubscribers(
      subscribers,
      [{ ...row.data, status: undefined }],
      {
        locale: deps.config.DEFAULT_LOCALE,
        resubscribe: false,
        consent: { source: 'import', by: `desk:${caller.id}`, wordingId },
      },
    );
    if (outcome === 'suppressed')
      return c.json(
        refusal(
          'person-left',
          { email: row.data.email },
          `${row.data.email} left or is suppressed, so the desk does not add it again.`,
        ),
        409,
      );
    await audit(deps, c, 'subscribers.add', `${row.data.email} ${outcome}`);
    return c.json({ email: row.data.email, outcome }, 200);
  });

  api.openapi(editRoute, async (c) => {
    const { email } = c.req.valid('param');
    const edit = EditInput.safeParse(c.req.valid('json'));
    if (!edit.success) return c.json({ errors: problems(edit.error) }, 422);
    const subscriber = await subscribers.findByEmail(email.trim());
    if (!subscriber || !(await editSubscriber(subscribers, subscriber.id, edit.data)))
      return c.json(missing(email), 404);
    await audit(deps, c, 'subscribers.edit', subscriber.email);
    return c.body(null, 204);
  });

  api.openapi(unsubscribeRoute, async (c) => {
    const { email } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const subscriber = await subscribers.findByEmail(email.trim());
    if (!subscriber) return c.json(missing(email), 404);
    const outcome = await subscribers.unsubscribe(subscriber.id, {
      via: 'desk',
      by: `desk:${c.get('caller').id}`,
      reason,
    });
    if (outcome === 'unknown') return c.json(missing(email), 404);
    await audit(deps, c, 'subscribers.unsubscribe', subscriber.email);
    return c.json({ outcome }, 200);
  });
}
