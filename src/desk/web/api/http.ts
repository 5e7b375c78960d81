/** A refusal or failure from the desk API, with the status and the answer's body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** True when `err` is an ApiError. */
export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

/** The sign-in routes, whose 401 is a refused sign-in and not an ended session. */
const isSignIn = (path: string) => path === '/session' || path.startsWith('/session/');

/** The base of every API route. */
export const API = '/desk/api';

const listeners = new Set<() => void>();

/** Calls `fn` whenever the API answers 401 (the session ended or never was); returns an unsubscribe. */
export function onUnauthorized(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Calls the desk API and returns its JSON (undefined for 204). Throws ApiError with the API's own
 * sentence (`error`) when it gives one, else a sentence naming the status; a network failure too.
 */
export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('Content-Type', 'application/json');
  headers.set('Accept', 'application/json');
  // The UI's language (I18nProvider keeps it on <html lang>): the API words its refusals in it.
  if (document.documentElement.lang) headers.set('Accept-Language', document.documentElement.lang);
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      ...rest,
      headers,
      credentials: 'same-origin',
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  } catch {
    throw new ApiError(0, null, 'network');
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  const body: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    if (res.status === 401 && !isSignIn(path)) for (const fn of listeners) fn();
    const said = typeof body === 'object' && body ? refusalText(body) : '';
    throw new ApiError(res.status, body, said || `status ${res.status}`);
  }
  return body as T;
}

/** Fetches a route's text (the preview's HTML and plain text). */
export async function apiText(path: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(`${API}${path}`, { ...init, credentials: 'same-origin' }).catch(() => null);
  if (!res) throw new ApiError(0, null, 'network');
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, text, `status ${res.status}`);
  return text;
}

/** The API's own words for a refusal: its `error`, or each of its `errors` as "path: message". */
function refusalText(body: object): string {
  if ('error' in body) return String(body.error);
  if (!('errors' in body) || !Array.isArray(body.errors)) return '';
  return body.errors
    .map((e: { path?: string; message?: string }) => (e.path ? `${e.path}: ${e.message}` : String(e.message)))
    .join('; ');
}
