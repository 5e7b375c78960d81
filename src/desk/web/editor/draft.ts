import { useCallback, useMemo, useState } from 'react';
import { formatPath, Issue } from '../../../issue/schema.ts';

/** A place in the issue JSON, e.g. ['sections', 1, 'articles', 0, 'url']. */
export type Path = (string | number)[];

/** A copy of `obj` with the value at `path` replaced (undefined removes a key); arrays stay arrays. */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...Path];
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(obj)
    ? [...obj]
    : { ...(obj as Record<string, unknown>) };
  const child = (base as Record<string | number, unknown>)[head];
  const next = setIn(child ?? (typeof rest[0] === 'number' ? [] : {}), rest, value);
  if (next === undefined && !Array.isArray(base)) delete (base as Record<string | number, unknown>)[head];
  else (base as Record<string | number, unknown>)[head] = next;
  return base as T;
}

/** The value at `path`, or undefined. */
export function getIn(obj: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v == null ? undefined : (v as Record<string, unknown>)[key]), obj);
}

/** Validates a draft with the issue schema: each problem keyed by its `validate` path, in its words. */
export function draftErrors(draft: unknown): Map<string, string> {
  const result = Issue.safeParse(draft);
  const errors = new Map<string, string>();
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = formatPath(issue.path);
      if (!errors.has(key)) errors.set(key, issue.message);
    }
  }
  return errors;
}

/** The editor's working copy: the draft, the revision it was based on, and whether it differs from it. */
export function useDraft(saved: Issue, revision: number) {
  const [state, setState] = useState({ base: saved, draft: saved, revision });
  const update = useCallback(
    (path: Path, value: unknown) => setState((s) => ({ ...s, draft: setIn(s.draft, path, value) })),
    [],
  );
  const replace = useCallback((draft: Issue) => setState((s) => ({ ...s, draft })), []);
  const rebase = useCallback(
    (base: Issue, rev: number, draft?: Issue) =>
      setState((s) => ({ base, revision: rev, draft: draft ?? s.draft })),
    [],
  );
  const dirty = useMemo(() => JSON.stringify(state.base) !== JSON.stringify(state.draft), [state]);
  const errors = useMemo(() => draftErrors(state.draft), [state.draft]);
  return { ...state, dirty, errors, update, replace, rebase };
}

/** A draft's editing actions, handed to the field components. */
export type DraftApi = Pick<ReturnType<typeof useDraft>, 'draft' | 'errors' | 'update'>;

/** Every leaf that differs between two issues: path, mine, theirs (for the 409 and compare views). */
export function differences(mine: unknown, theirs: unknown, path: Path = []): [string, unknown, unknown][] {
  if (JSON.stringify(mine) === JSON.stringify(theirs)) return [];
  const isObj = (v: unknown) => typeof v === 'object' && v !== null;
  if (!isObj(mine) || !isObj(theirs) || Array.isArray(mine) !== Array.isArray(theirs)) {
    return [[formatPath(path), mine, theirs]];
  }
  const keys = new Set([...Object.keys(mine as object), ...Object.keys(theirs as object)]);
  return [...keys].flatMap((k) => {
    const key = Array.isArray(mine) ? Number(k) : k;
    return differences(getIn(mine, [key]), getIn(theirs, [key]), [...path, key]);
  });
}
