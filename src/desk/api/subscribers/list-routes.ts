import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
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

/** The lists: what there is (senders pick one), and adding one (admin). */
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
}
