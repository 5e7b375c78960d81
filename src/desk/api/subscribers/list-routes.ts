import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ListName } from '../../../subscribers/subscriber-schema.ts';
import type { DeskDeps, DeskEnv } from '../desk-deps.ts';
import { audit, INVALID, json, problems, REFUSALS, secured, UNREADABLE } from '../route-kit.ts';
import { CreateList, ErrorAnswer, ListCreatedAnswer, ListsAnswer } from '../schemas.ts';

const listsRoute = createRoute({
  method: 'get',
  path: '/lists',
  summary: 'The lists, their members and how many of those are active',
  ...secured('sender'),
  responses: { 200: json(ListsAnswer, 'The lists'), ...REFUSALS },
});

const createListRoute = createRoute({
  method: 'post',
  path: '/lists',
  summary: 'Add a list with no members yet (admin)',
  ...secured('admin'),
  request: { body: { ...json(CreateList, 'The name'), required: true } },
  responses: {
    201: json(ListCreatedAnswer, 'Added'),
    409: json(ErrorAnswer, 'A list of that name exists'),
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

const renameListRoute = createRoute({
  method: 'patch',
  path: '/lists/{name}',
  summary: 'Rename a list, its members with it (admin); refused while a send to it is not finished',
  ...secured('admin'),
  request: {
    params: z.object({ name: z.string().max(64) }),
    body: { ...json(CreateList, 'The new name'), required: true },
  },
  responses: {
    200: json(ListCreatedAnswer, 'Renamed'),
    404: json(ErrorAnswer, 'No list of that name'),
    409: json(ErrorAnswer, 'A list of the new name exists, or a send to the list is not finished'),
    ...INVALID,
    ...UNREADABLE,
    ...REFUSALS,
  },
});

/** The lists: what there is (senders pick one), adding and renaming one (admin). */
export function listRoutes(api: OpenAPIHono<DeskEnv>, deps: DeskDeps): void {
  const { subscribers } = deps;

  api.openapi(listsRoute, async (c) => {
    const names = await subscribers.listNames();
    const lists = await Promise.all(
      names.map(async (name) => ({
        name,
        members: await subscribers.listSize(name),
        active: await subscribers.countActive(name),
      })),
    );
    return c.json({ lists }, 200);
  });

  api.openapi(createListRoute, async (c) => {
    const parsed = ListName.safeParse(c.req.valid('json').name);
    if (!parsed.success)
      return c.json({ errors: problems(parsed.error).map((p) => ({ ...p, path: 'name' })) }, 422);
    if (!(await subscribers.addList(parsed.data)))
      return c.json({ error: `There is already a list called ${parsed.data}.` }, 409);
    await audit(deps, c, 'lists.create', `list:${parsed.data}`);
    return c.json({ name: parsed.data }, 201);
  });

  api.openapi(renameListRoute, async (c) => {
    const from = c.req.valid('param').name;
    const parsed = ListName.safeParse(c.req.valid('json').name);
    if (!parsed.success)
      return c.json({ errors: problems(parsed.error).map((p) => ({ ...p, path: 'name' })) }, 422);
    const to = parsed.data;
    if (!(await subscribers.listNames()).includes(from))
      return c.json({ error: `There is no list ${from}.` }, 404);
    // A scheduled, running or paused send reads its list by name when its batches go out.
    const records = await Promise.all((await deps.sends.ids(500)).map((id) => deps.sends.get(id)));
    if (records.some((r) => r?.list === from && r.state !== 'done' && r.state !== 'cancelled'))
      return c.json({ error: `A send to ${from} is not finished; rename the list after it.` }, 409);
    const outcome = await subscribers.renameList(from, to);
    if (outcome === 'taken') return c.json({ error: `There is already a list called ${to}.` }, 409);
    if (outcome === 'unknown') return c.json({ error: `There is no list ${from}.` }, 404);
    await audit(deps, c, 'lists.rename', `list:${from} to:${to}`);
    return c.json({ name: to }, 200);
  });
}
