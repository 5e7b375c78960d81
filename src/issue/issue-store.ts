import type { AnyRedis } from '../redis.ts';
import { batch, type StoreDeps, taggedKey } from '../redis.ts';
import type { IssueState } from './issue-state.ts';
import type { Issue } from './schema.ts';

/** What the store keeps about one edition (an issue number in one locale), beside its JSON. */
export interface StoredIssueHead {
  number: number;
  locale: string;
  subject: string;
  month: string;
  state: IssueState;
  revision: number;
  /** Epoch ms of the last save. */
  updatedAt: number;
  updatedBy: string;
  /** The send that scheduled it (state scheduled or sent). */
  sendId: string | null;
}

/** What a save reads of the issue besides its JSON (an edition in translation may not parse as a whole yet). */
export type IssueHeadFields = Pick<Issue, 'number' | 'locale' | 'subject' | 'month'>;

/** A stored edition: its head and the issue JSON of its latest revision. */
export interface StoredIssue extends StoredIssueHead {
  json: unknown;
}

/** What a save did: `ok` (the new revision and state), or why nothing was saved. */
export type SaveResult =
  | { status: 'ok'; revision: number; state: IssueState }
  | { status: 'exists' | 'stale'; revision: number }
  | { status: 'missing' }
  | { status: 'locked'; state: IssueState };

/** What a state change did: `ok` with the state before, or refused because of the state (or revision). */
export type MoveResult =
  | { status: 'ok'; before: IssueState }
  | { status: 'refused'; state: IssueState; revision: number }
  | { status: 'missing' };

// One round trip, atomic: the revision check and the write cannot be split by another save (lost update).
// Saving an approved edition returns it to draft; a scheduled or sent one is not edited.
const SAVE = `
local mode, expected = ARGV[1], ARGV[2]
local rev = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
local state = redis.call('HGET', KEYS[1], 'state') or 'draft'
if mode == 'create' and rev > 0 then return {'exists', rev} end
if mode == 'update' and rev == 0 then return {'missing'} end
if mode == 'update' and tostring(rev) ~= expected then return {'stale', rev} end
if rev > 0 and (state == 'scheduled' or state == 'sent') then return {'locked', state} end
if state == 'approved' or rev == 0 then state = 'draft' end
rev = rev + 1
redis.call('HSET', KEYS[1], 'number', ARGV[6], 'locale', ARGV[7], 'subject', ARGV[8], 'month', ARGV[9],
  'state', state, 'revision', rev, 'updatedAt', ARGV[5], 'updatedBy', ARGV[4], 'json', ARGV[3])
redis.call('HSET', KEYS[2], rev, ARGV[3])
redis.call('RPUSH', KEYS[3], cjson.encode({revision = rev, at = tonumber(ARGV[5]), by = ARGV[4]}))
redis.call('ZADD', KEYS[4], tonumber(ARGV[6]), ARGV[6])
return {'ok', rev, state}
`;

// ARGV: the new state, the states it may come from (comma-separated), the revision required ('' any), send id.
const MOVE = `
local rev = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if rev == 0 then return {'missing'} end
local state = redis.call('HGET', KEYS[1], 'state')
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == state then allowed = true end end
if not allowed or (ARGV[3] ~= '' and tostring(rev) ~= ARGV[3]) then return {'refused', state, rev} end
redis.call('HSET', KEYS[1], 'state', ARGV[1])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'sendId', ARGV[4]) end
return {'ok', state}
`;

function define(redis: AnyRedis): void {
  if (typeof (redis as unknown as Record<string, unknown>).gazetteIssueSave === 'function') return;
  redis.defineCommand('gazetteIssueSave', { numberOfKeys: 4, lua: SAVE });
  redis.defineCommand('gazetteIssueMove', { numberOfKeys: 1, lua: MOVE });
}

type Scripts = {
  gazetteIssueSave(...args: (string | number)[]): Promise<(string | number)[]>;
  gazetteIssueMove(...args: (string | number)[]): Promise<(string | number)[]>;
};

/** The hash fields that make an edition's head, as `list` reads them. */
const HEAD_FIELDS = [
  'number',
  'locale',
  'subject',
  'month',
  'state',
  'revision',
  'updatedAt',
  'updatedBy',
  'sendId',
];

function head(h: Record<string, string>): StoredIssueHead {
  return {
    number: Number(h.number),
    locale: h.locale ?? '',
    subject: h.subject ?? '',
    month: h.month ?? '',
    state: (h.state ?? 'draft') as IssueState,
    revision: Number(h.revision),
    updatedAt: Number(h.updatedAt),
    updatedBy: h.updatedBy ?? '',
    sendId: h.sendId || null,
  };
}

/**
 * Issues in Redis, keyed by number and locale (an edition each), so that several servers share them.
 * Every save is a new revision kept with who saved it and when; saves and state changes are atomic.
 */
export function createIssueStore({ redis, prefix, clock = Date.now }: StoreDeps) {
  define(redis);
  const scripts = redis as unknown as Scripts;
  // One hash tag for every edition and the indexes (the save script writes both); `issues` is the
  // tag's word with an s, so that on one Redis the index keeps its name `<prefix>:issues:<locale>`.
  const key = (n: number, locale: string, ...rest: string[]) =>
    taggedKey(prefix, 'issue', n, locale, ...rest);
  const indexKey = (locale: string) => `${taggedKey(prefix, 'issue')}s:${locale}`;

  async function save(
    mode: 'create' | 'update' | 'put',
    issue: IssueHeadFields,
    json: unknown,
    by: string,
    expected = '',
  ): Promise<SaveResult> {
    const n = issue.number;
    const reply = await scripts.gazetteIssueSave(
      ...[key(n, issue.locale), key(n, issue.locale, 'bodies'), key(n, issue.locale, 'revisions')],
      indexKey(issue.locale),
      ...[mode, expected, JSON.stringify(json), by, clock(), n, issue.locale, issue.subject, issue.month],
    );
    const [status, a, b] = reply;
    if (status === 'ok') return { status, revision: Number(a), state: b as IssueState };
    if (status === 'exists' || status === 'stale') return { status, revision: Number(a) };
    if (status === 'locked') return { status, state: a as IssueState };
    return { status: 'missing' };
  }

  return {
    /** Stores a new edition at revision 1 (draft); `exists` when the number is taken in that locale. */
    create: (issue: IssueHeadFields, json: unknown, by: string) => save('create', issue, json, by),
    /** Saves a new revision if `expected` is still the latest; an approved edition goes back to draft. */
    update: (issue: IssueHeadFields, json: unknown, by: string, expected: number) =>
      save('update', issue, json, by, String(expected)),
    /** Creates or saves a new revision whatever the latest is (`gazette issues import`). */
    put: (issue: Issue, json: unknown, by: string) => save('put', issue, json, by),
    /** The edition's head and latest JSON, or null. */
    async get(n: number, locale: string): Promise<StoredIssue | null> {
      const h = await redis.hgetall(key(n, locale));
      if (!h.revision) return null;
      return { ...head(h), json: JSON.parse(h.json ?? 'null') };
    },
    /** The heads of every edition in `locale`, newest number first. */
    async list(locale: string): Promise<StoredIssueHead[]> {
      const numbers = await redis.zrevrange(indexKey(locale), 0, -1);
      const pipe = batch(redis);
      for (const n of numbers) pipe.hmget(key(Number(n), locale), ...HEAD_FIELDS);
      const rows = ((await pipe.exec()) ?? []).map(([, v]) => v as (string | null)[]);
      return rows
        .map((r) => Object.fromEntries(HEAD_FIELDS.map((f, i) => [f, r[i] ?? ''])))
        .filter((h) => h.revision)
        .map(head);
    },
    /** Every kept save of the edition, oldest first: revision, when (epoch ms) and by whom. */
    async revisions(n: number, locale: string): Promise<{ revision: number; at: number; by: string }[]> {
      const rows = await redis.lrange(key(n, locale, 'revisions'), 0, -1);
      return rows.map((r) => JSON.parse(r) as { revision: number; at: number; by: string });
    },
    /** The JSON of one kept revision, or null. */
    async revision(n: number, locale: string, revision: number): Promise<unknown> {
      const body = await redis.hget(key(n, locale, 'bodies'), String(revision));
      return body === null ? null : JSON.parse(body);
    },
    /**
     * Records the default edition's revision that `revision` of a translation was made from, so the
     * desk can tell which default texts changed since.
     */
    async setBasedOn(n: number, locale: string, revision: number, basedOn: number): Promise<void> {
      await redis.hset(key(n, locale, 'based-on'), String(revision), String(basedOn));
    },
    /** The default edition's revision that `revision` of a translation was made from, or null. */
    async basedOn(n: number, locale: string, revision: number): Promise<number | null> {
      const v = await redis.hget(key(n, locale, 'based-on'), String(revision));
      return v === null ? null : Number(v);
    },
    /**
     * Moves the edition to `to` if its state is one of `from` (and, when given, its revision is still
     * `revision`); records the send that scheduled it.
     */
    async move(
      n: number,
      locale: string,
      to: IssueState,
      from: readonly IssueState[],
      opts: { revision?: number; sendId?: string } = {},
    ): Promise<MoveResult> {
      const [status, a, b] = await scripts.gazetteIssueMove(
        key(n, locale),
        to,
        from.join(','),
        opts.revision === undefined ? '' : String(opts.revision),
        opts.sendId ?? '',
      );
      if (status === 'ok') return { status, before: a as IssueState };
      if (status === 'refused') return { status, state: a as IssueState, revision: Number(b) };
      return { status: 'missing' };
    },
  };
}

/** The issue store's interface (see createIssueStore). */
export type IssueStore = ReturnType<typeof createIssueStore>;
