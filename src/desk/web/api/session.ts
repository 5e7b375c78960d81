import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role, SessionAnswer, SignIn, SignInMethods, User } from '../../api/schemas.ts';
import { api } from './http.ts';

export type { User };

const KEY = ['session'] as const;
/** MAIL_FROM's name, which the session answer carries beside the user (set with it, so rarely fetched). */
const SENDER = ['session-sender'] as const;
/**
 * Set while this browser believes it is signed in. The cookie is HttpOnly, so without this hint every
 * first visit would ask GET /session and log a 401 in the console; the server still decides.
 */
const HINT = 'gazette.desk.signedIn';

/** True while this browser believes it is signed in (the server still decides). */
export function seemsSignedIn(): boolean {
  return localStorage.getItem(HINT) !== null;
}

/**
 * After a single sign-on the server sends the browser to `…?sso=signed-in`: the session cookie is
 * set, so this browser is signed in; the marker leaves the address bar. Call once, before the app renders.
 */
export function adoptSsoSignIn(): void {
  const url = new URL(location.href);
  if (url.searchParams.get('sso') !== 'signed-in') return;
  localStorage.setItem(HINT, '1');
  url.searchParams.delete('sso');
  history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
}

/** How one signs in here (`GET /sign-in-methods`): with a password, through an identity provider, or both. */
export function useSignInMethods() {
  return useQuery({
    queryKey: [KEPT],
    queryFn: () => api<SignInMethods>('/sign-in-methods'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Forgets the signed-in hint (after a 401 or a sign-out). */
function forgetSession(): void {
  localStorage.removeItem(HINT);
}

/** The one answer kept for whoever signs in next: how one signs in here, which is nobody's own. */
const KEPT = 'sign-in-methods';

/**
 * Forgets, in this browser, who was signed in (a sign-out, an ended session, a password reset): the
 * hint, every answer fetched for them and every change under way, and the session itself, which
 * becomes null so that the app shows the sign-in page at once. The session's query is set, not
 * removed: the app's observer of it stays on it and sees null, whereas `client.clear()` would leave
 * that observer on a query the cache no longer holds, showing the signed-in page until the next render.
 */
export function forgetSignedInUser(client: QueryClient): void {
  forgetSession();
  client.setQueryData(KEY, null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== KEY[0] && q.queryKey[0] !== KEPT });
  client.getMutationCache().clear();
}

/** True when `user` holds `role` (admin holds every role). */
export function can(user: User | null | undefined, role: Role): boolean {
  if (!user) return false;
  if (user.roles.includes('admin')) return true;
  if (role === 'writer') return user.roles.length > 0;
  if (role === 'editor') return user.roles.includes('editor');
  return user.roles.includes(role);
}

/** The current session's user, or null when nobody is signed in (`GET /session`). */
export function useSession() {
  const client = useQueryClient();
  return useQuery({
    queryKey: KEY,
    queryFn: () =>
      !seemsSignedIn()
        ? null
        : api<SessionAnswer>('/session').then(
            (r) => {
              client.setQueryData(SENDER, r.sender);
              return r.user;
            },
            () => {
              forgetSession();
              return null;
            },
          ),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The name readers' inboxes show as the sender (for the preview's inbox line). */
export function useSender() {
  return useQuery({
    queryKey: SENDER,
    queryFn: () => api<SessionAnswer>('/session').then((r) => r.sender),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** What a sign-in's answer does here: the user becomes the session query's value. */
export function useSignedIn(): (r: SessionAnswer) => void {
  const client = useQueryClient();
  return (r) => {
    localStorage.setItem(HINT, '1');
    client.setQueryData(KEY, r.user);
    client.setQueryData(SENDER, r.sender);
  };
}

/** Signs in (`POST /session`); the user becomes the session query's value. */
export function useSignIn() {
  return useMutation({
    mutationFn: (body: SignIn) => api<SessionAnswer>('/session', { method: 'POST', json: body }),
    onSuccess: useSignedIn(),
  });
}

/**
 * Signs out (`DELETE /session`) and forgets the user here, whatever the answer: the sign-in page
 * shows as soon as the server has answered.
 */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/session', { method: 'DELETE' }),
    onSettled: () => forgetSignedInUser(client),
  });
}
