import type { IssueState } from '../../../issue/issue-state.ts';
import type { StoredIssueHead } from '../../../issue/issue-store.ts';
import { IssueError, parseIssue } from '../../../issue/load.ts';

import { Issue } from '../../../issue/schema.ts';
import type { DeskDeps } from '../desk-deps.ts';
import type { Problem } from '../schemas.ts';

/** The path parameter of every issue route. */
export function issueNumber(text: string): number | null {
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : null;
}

/**
 * The edition's state with its send taken into account: a scheduled issue whose send is done is
 * `sent`, and one whose send was cancelled is `approved` again (so it can be scheduled anew).
 */
export async function settledState(
  deps: Pick<DeskDeps, 'issues' | 'sends'>,
  head: StoredIssueHead,
): Promise<IssueState> {
  if (head.state !== 'scheduled' || !head.sendId) return head.state;
  const send = await deps.sends.state(head.sendId);
  // A cancelled send leaves the issue sent when an earlier send of it went out, else approved.
  const sentBefore = async () =>
    (await deps.sends.ofIssue(head.number)).some((r) => r.state === 'done' && !r.testTo);
  const next =
    send === 'done'
      ? 'sent'
      : send === 'cancelled' || send === null
        ? (await sentBefore())
          ? 'sent'
          : 'approved'
        : null;
  if (!next) return head.state;
  await deps.issues.move(head.number, head.locale, next, ['scheduled']);
  return next;
}

/** What parsing an issue body for `number` in the default edition came to. */
export type ParsedBody = { ok: true; issue: Issue } | { ok: false; errors: Problem[] };

/**
 * Parses an issue body with `gazette validate`'s rules and words; when `number` is given the body
 * must be that issue, and it must be in the default edition's locale (the routes address that one).
 */
export function parseBody(deps: Pick<DeskDeps, 'config'>, body: unknown, number?: number): ParsedBody {
  const errors = schemaProblems(body);
  if (errors.length > 0) return { ok: false, errors };
  const issue = Issue.parse(body);
  if (number !== undefined && issue.number !== number) {
    errors.push({
      path: 'number',
      code: 'wrong-number',
      params: { number },
      message: `must be ${number}, the issue this address names`,
    });
  }
  const locale = deps.config.DEFAULT_LOCALE;
  if (issue.locale !== locale) {
    errors.push({
      path: 'locale',
      code: 'wrong-locale',
      params: { locale },
      message: `must be ${locale}: these routes address the default edition`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, issue };
}

/**
 * `gazette validate`'s problems but the placeholders `gazette new` leaves (and those `allowed` lets
 * through): a draft may be saved with them (its checks list each as an error, so it cannot be
 * approved until they are written).
 */
export function schemaProblems(body: unknown, allowed: (p: Problem) => boolean = () => false): Problem[] {
  try {
    parseIssue(body);
    return [];
  } catch (err) {
    if (!(err instanceof IssueError)) throw err;
    return err.problems
      .filter((p) => p.code !== 'placeholder' && !allowed(p))
      .map(({ path, code, params, message }) => ({ path, code, params, message }));
  }
}

/** The parsed issue of a stored edition (it passed parseBody when it was saved). */
export function storedIssue(json: unknown): Issue {
  return Issue.parse(json);
}
