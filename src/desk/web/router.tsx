import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react';

const BASE = '/desk';
const listeners = new Set<() => void>();
let guard: (() => boolean) | null = null;

/** The path inside the desk, e.g. "/issues/204" for /desk/issues/204. */
export function currentPath(): string {
  return location.pathname.slice(BASE.length) || '/';
}

/** Lets a form with unsaved changes ask before the app navigates away; `null` clears it. */
export function setNavigationGuard(fn: (() => boolean) | null): void {
  guard = fn;
}

/** True when no form holds unsaved changes, or when the person agrees to lose them (the guard asks). */
export function mayLeave(): boolean {
  return !guard || guard();
}

/**
 * Goes to a desk path (pushes history) unless an unsaved-changes guard declines; `asked` when the
 * caller has asked already (mayLeave), so that the question does not come twice.
 */
export function navigate(path: string, opts: { replace?: boolean; asked?: boolean } = {}): void {
  if (!opts.asked && !mayLeave()) return;
  const url = `${BASE}${path}`;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const fn of listeners) fn();
}

/** The current desk path, re-rendering on navigation and on the browser's back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** An anchor to a desk path that navigates in the app (a modified click opens a tab as usual). */
export function Link({ to, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a {...props} href={`${BASE}${to}`} onClick={onClick} />;
}
